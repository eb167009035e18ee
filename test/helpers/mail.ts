import type { Mailer, MailMessage } from '../../src/services/mailer.js'

/** A mailer that keeps what it is given, and can be made to fail like a mail server that is down. */
export class RecordingMailer implements Mailer {
  readonly kind = 'smtp' as const
  readonly sent: MailMessage[] = []
  down = false

  async send(message: MailMessage): Promise<void> {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:25')
    this.sent.push(message)
  }

  to(address: string): MailMessage[] {
    return this.sent.filter(m => m.to === address)
  }
}
