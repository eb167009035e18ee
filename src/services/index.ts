import type { Clock } from '../clock.js'
import type { Config } from '../config.js'
import type { Database } from '../db/database.js'
import type { Policy } from '../domain/policies/policy.js'
import type { Logger } from '../logger.js'
import { accessService } from './accessService.js'
import { authService } from './authService.js'
import { calendarService } from './calendarService.js'
import { childService } from './childService.js'
import { disputeService } from './disputeService.js'
import { disputeDocumentService } from './disputeDocumentService.js'
import { fileMailer, type Mailer, smtpMailer } from './mailer.js'
import { oidcService } from './oidcService.js'
import { notificationService } from './notifications/notificationService.js'
import { organisationService } from './organisationService.js'
import type { PasswordHasher } from './passwords.js'
import { practiceNoteService } from './practiceNoteService.js'
import { qualityService } from './qualityService.js'
import { reportService } from './reportService.js'
import { workService } from './workService.js'
import { importService } from './importService.js'
import { dataProtectionService } from './dataProtectionService.js'

export interface ServiceOptions {
  /** Tests pass their own; otherwise SMTP when SMTP_URL is set, else files in CONCORD_MAIL_DIR. */
  mailer?: Mailer
  logger?: Logger
}

/** The composition root for the service layer: every service gets its dependencies here, nowhere else. */
export function services(
  db: Database,
  clock: Clock,
  config: Config,
  passwords: PasswordHasher,
  policies: readonly Policy[],
  options: ServiceOptions = {},
) {
  const calendar = calendarService(db, clock)
  const mailer =
    options.mailer ??
    (config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : fileMailer(config.mailDir, config.mailFrom))
  const notifications = notificationService(
    db,
    clock,
    calendar,
    mailer,
    {
      baseUrl: config.baseUrl,
      escalateAfterWorkingDays: config.overdueEscalationWorkingDays,
      digestHour: config.digestHour,
      maxAttempts: config.mailMaxAttempts,
    },
    options.logger,
  )
  const disputes = disputeService(db, clock, calendar, policies, notifications)
  return {
    db,
    clock,
    config,
    access: accessService(db, clock),
    auth: authService(db, clock, passwords, config),
    children: childService(db, clock),
    organisation: organisationService(db, clock, passwords),
    calendar,
    notifications,
    mailer,
    disputes,
    work: workService(db, clock, calendar),
    notes: practiceNoteService(db, clock, config),
    quality: qualityService(db, clock, calendar, { baseUrl: config.baseUrl }),
    disputeDocuments: disputeDocumentService(db, clock, disputes),
    oidc: config.oidc ? oidcService(db, clock, config.oidc, options.logger) : undefined,
    imports: importService(db, clock, { maxFileBytes: config.importMaxMegabytes * 1024 * 1024, maxRows: 200_000 }),
    dataProtection: dataProtectionService(db, clock, { retentionYears: config.retentionYears }),
    reports: reportService(db, clock, calendar, policies),
  }
}

export type Services = ReturnType<typeof services>
