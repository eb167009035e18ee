import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import nodemailer from 'nodemailer'

export interface MailMessage {
  to: string
  subject: string
  text: string
  /** Stable per outbox row, so a mail server that did get a message can spot a repeat. */
  messageId: string
}

export interface Mailer {
  send(message: MailMessage): Promise<void>
  readonly kind: 'smtp' | 'file'
}

/** SMTP through nodemailer, from SMTP_URL (for example smtp://user:pass@mail.example:587). */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url)
  return {
    kind: 'smtp',
    async send(m) {
      await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text, messageId: m.messageId })
    },
  }
}

/** With no mail server configured, each email is written to a file the demo can show. */
export function fileMailer(dir: string, from: string): Mailer {
  return {
    kind: 'file',
    async send(m) {
      await mkdir(dir, { recursive: true })
      const name = `${m.messageId.replace(/[^A-Za-z0-9.-]/g, '_')}.eml`
      const text = [
        `From: ${from}`,
        `To: ${m.to}`,
        `Subject: ${m.subject}`,
        `Message-ID: ${m.messageId}`,
        '',
        m.text,
        '',
      ].join('\r\n')
      await writeFile(path.join(dir, name), text, 'utf8')
    },
  }
}
