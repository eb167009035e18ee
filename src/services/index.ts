import type { Clock } from '../clock.js'
import type { Config } from '../config.js'
import type { Database } from '../db/database.js'
import { accessService } from './accessService.js'
import { authService } from './authService.js'
import { calendarService } from './calendarService.js'
import { childService } from './childService.js'
import { disputeService } from './disputeService.js'
import { organisationService } from './organisationService.js'
import type { PasswordHasher } from './passwords.js'
import type { Policy } from '../domain/policies/policy.js'

/** The composition root for the service layer: every service gets its dependencies here, nowhere else. */
export function services(
  db: Database,
  clock: Clock,
  config: Config,
  passwords: PasswordHasher,
  policies: readonly Policy[],
) {
  const calendar = calendarService(db, clock)
  return {
    db,
    clock,
    config,
    access: accessService(db),
    auth: authService(db, clock, passwords, config),
    children: childService(db, clock),
    organisation: organisationService(db, clock, passwords),
    calendar,
    disputes: disputeService(db, clock, calendar, policies),
  }
}

export type Services = ReturnType<typeof services>
