import { z } from 'zod'
import { defaultRoleTitles, type RoleKey, roleKeys } from './domain/organisation.js'

/** Configuration comes from the environment only; every variable is documented in the README. */
export interface Config {
  port: number
  production: boolean
  dataDir: string
  databaseUrl: string | undefined
  clock: Date | undefined
  /** Undefined outside production when SESSION_SECRET is not set: one is made and kept in the database. */
  sessionSecret: string | undefined
  secureCookies: boolean
  trustProxy: boolean
  demo: boolean
  roleTitles: Record<RoleKey, string>
  authorityName: string
  logLevel: string
  maxFailedSignIns: number
  lockMinutes: number
  /** Hours after signing in when a session ends however busy it has been (idle sessions end after 8). */
  sessionMaxHours: number
  signInRateLimit: number
  baseUrl: string
  smtpUrl: string | undefined
  mailFrom: string
  mailDir: string
  overdueEscalationWorkingDays: number
  digestHour: number
  /** Attempts before an email the mail server keeps refusing is given up. */
  mailMaxAttempts: number
  /** Seconds between scheduler passes; 0 turns the in-service scheduler off (tests drive it directly). */
  schedulerSeconds: number
  /** OpenID Connect sign-in through the authority's identity provider; undefined when not configured. */
  oidc: OidcConfig | undefined
  /** Email-and-password accounts (the embedded demo); CONCORD_LOCAL_ACCOUNTS=off leaves only the provider. */
  localAccounts: boolean
  /** Largest CSV file an import accepts, in megabytes. */
  importMaxMegabytes: number
  /** Years after a child's case closed before their records are listed for a retention decision. */
  retentionYears: number
}

export interface OidcConfig {
  issuer: string
  clientId: string
  /** Absent for a public client, which relies on PKCE alone. */
  clientSecret: string | undefined
  redirectUrl: string
  /** The ID token or userinfo claim that carries the person's email or staff ID. */
  claim: string
  /** Which field of the person record the claim is matched against. */
  matchOn: 'email' | 'staff_id'
  providerName: string
  scopes: string
}

/** The path the provider sends people back to; CONCORD_OIDC_REDIRECT_URL must end in it. */
export const OIDC_CALLBACK_PATH = '/sign-in/callback'

const roleTitlesSchema = z.partialRecord(z.enum(roleKeys), z.string().min(1).max(80))

export class ConfigError extends Error {}

/** The demo's email folder beside its database folder; the old shared default for a memory:// or odd data dir. */
function mailDirBeside(dataDir: string): string {
  const dir = dataDir.replace(/[/\\]+$/, '')
  return /^[^:]*[A-Za-z0-9_]$/.test(dir) ? `${dir}-outbox` : './data/outbox'
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production'
  const dataDir = env.CONCORD_DATA_DIR ?? './data/concord'
  let clock: Date | undefined
  if (env.CONCORD_CLOCK) {
    if (production) throw new ConfigError('CONCORD_CLOCK cannot be set when NODE_ENV=production')
    clock = new Date(env.CONCORD_CLOCK)
    if (Number.isNaN(clock.getTime()))
      throw new ConfigError('CONCORD_CLOCK must be an ISO date-time, like 2023-01-05T09:00:00Z')
  }
  const sessionSecret = env.SESSION_SECRET || undefined
  if (!sessionSecret && production) throw new ConfigError('SESSION_SECRET must be set when NODE_ENV=production')
  const databaseUrl = env.DATABASE_URL || undefined
  let roleTitles = { ...defaultRoleTitles }
  if (env.CONCORD_ROLE_TITLES) {
    const parsed = roleTitlesSchema.safeParse(JSON.parse(env.CONCORD_ROLE_TITLES))
    if (!parsed.success) throw new ConfigError(`CONCORD_ROLE_TITLES is not valid: ${parsed.error.message}`)
    roleTitles = { ...roleTitles, ...parsed.data }
  }
  const port = Number(env.PORT ?? 3000)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('PORT must be a port number')
  return {
    port,
    production,
    dataDir,
    databaseUrl,
    clock,
    sessionSecret,
    secureCookies: env.CONCORD_SECURE_COOKIES === 'true' || (production && env.CONCORD_SECURE_COOKIES !== 'false'),
    trustProxy: env.CONCORD_TRUST_PROXY === 'true',
    // Its accounts share a published password: on by default only for the embedded database, where
    // nobody else can be signed in. A PostgreSQL database gets the demo when asked (CONCORD_DEMO=true).
    demo: env.CONCORD_DEMO === undefined ? !production && !databaseUrl : env.CONCORD_DEMO === 'true',
    roleTitles,
    // Blank is no name: the header would be an empty link.
    authorityName: env.CONCORD_AUTHORITY_NAME?.trim() || 'Wessexshire County Council (demo)',
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    maxFailedSignIns: Number(env.CONCORD_MAX_FAILED_SIGN_INS ?? 5),
    lockMinutes: Number(env.CONCORD_LOCK_MINUTES ?? 15),
    sessionMaxHours: Math.max(1, positiveInt(env.CONCORD_SESSION_MAX_HOURS, 12, 'CONCORD_SESSION_MAX_HOURS')),
    signInRateLimit: Number(env.CONCORD_SIGN_IN_RATE_LIMIT ?? 30),
    baseUrl: (env.CONCORD_BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.CONCORD_MAIL_FROM ?? 'Concord <concord@localhost>',
    // Beside its own database: files are named by outbox row, so two demos must not share a folder.
    mailDir: env.CONCORD_MAIL_DIR ?? mailDirBeside(dataDir),
    overdueEscalationWorkingDays: positiveInt(
      env.CONCORD_OVERDUE_ESCALATION_DAYS,
      3,
      'CONCORD_OVERDUE_ESCALATION_DAYS',
    ),
    digestHour: positiveInt(env.CONCORD_DIGEST_HOUR, 7, 'CONCORD_DIGEST_HOUR'),
    mailMaxAttempts: Math.max(1, positiveInt(env.CONCORD_MAIL_MAX_ATTEMPTS, 24, 'CONCORD_MAIL_MAX_ATTEMPTS')),
    schedulerSeconds: positiveInt(
      env.CONCORD_SCHEDULER_SECONDS,
      env.NODE_ENV === 'test' ? 0 : 60,
      'CONCORD_SCHEDULER_SECONDS',
    ),
    importMaxMegabytes: Math.max(1, positiveInt(env.CONCORD_IMPORT_MAX_MB, 10, 'CONCORD_IMPORT_MAX_MB')),
    retentionYears: Math.max(1, positiveInt(env.CONCORD_RETENTION_YEARS, 6, 'CONCORD_RETENTION_YEARS')),
    ...signInConfig(env, port),
  }
}

function signInConfig(env: NodeJS.ProcessEnv, port: number): Pick<Config, 'oidc' | 'localAccounts'> {
  const local = (env.CONCORD_LOCAL_ACCOUNTS ?? 'on').toLowerCase()
  if (local !== 'on' && local !== 'off') throw new ConfigError('CONCORD_LOCAL_ACCOUNTS must be on or off')
  const localAccounts = local === 'on'
  const issuer = env.CONCORD_OIDC_ISSUER || undefined
  if (!issuer) {
    if (!localAccounts)
      throw new ConfigError('CONCORD_LOCAL_ACCOUNTS=off needs CONCORD_OIDC_ISSUER, or nobody could sign in')
    return { oidc: undefined, localAccounts }
  }
  if (!URL.canParse(issuer)) throw new ConfigError('CONCORD_OIDC_ISSUER must be a URL')
  const issuerUrl = new URL(issuer)
  if (issuerUrl.protocol !== 'https:' && !['localhost', '127.0.0.1', '[::1]'].includes(issuerUrl.hostname))
    throw new ConfigError('CONCORD_OIDC_ISSUER must use https (plain http only on this machine, for tests)')
  const clientId = env.CONCORD_OIDC_CLIENT_ID
  if (!clientId) throw new ConfigError('CONCORD_OIDC_CLIENT_ID must be set with CONCORD_OIDC_ISSUER')
  const baseUrl = (env.CONCORD_BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, '')
  const redirectUrl = env.CONCORD_OIDC_REDIRECT_URL || `${baseUrl}${OIDC_CALLBACK_PATH}`
  if (!URL.canParse(redirectUrl) || new URL(redirectUrl).pathname !== OIDC_CALLBACK_PATH)
    throw new ConfigError(`CONCORD_OIDC_REDIRECT_URL must be a URL whose path is ${OIDC_CALLBACK_PATH}`)
  const matchOn = env.CONCORD_OIDC_MATCH ?? 'email'
  if (matchOn !== 'email' && matchOn !== 'staff_id')
    throw new ConfigError('CONCORD_OIDC_MATCH must be email or staff_id')
  return {
    localAccounts,
    oidc: {
      issuer,
      clientId,
      clientSecret: env.CONCORD_OIDC_CLIENT_SECRET || undefined,
      redirectUrl,
      claim: env.CONCORD_OIDC_CLAIM || 'email',
      matchOn,
      providerName: env.CONCORD_OIDC_PROVIDER_NAME || 'your organisation account',
      scopes: env.CONCORD_OIDC_SCOPES || 'openid email profile',
    },
  }
}

function positiveInt(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a whole number of 0 or more`)
  return n
}
