import { createHash, randomBytes } from 'node:crypto'
import type { Clock } from '../clock.js'
import type { Database } from '../db/database.js'
import { findAccountByEmail, recordFailedSignIn, recordSuccessfulSignIn } from '../db/repositories/accountRepository.js'
import { appendEvent } from '../db/repositories/eventRepository.js'
import { linksOfPerson, removeLinksOfPerson } from '../db/repositories/externalIdentityRepository.js'
import { findPerson } from '../db/repositories/personRepository.js'
import { signOutEverywhere } from '../db/repositories/sessionRepository.js'
import { insertToken, revokeToken, tokensFor } from '../db/repositories/tokenRepository.js'
import type { CurrentUser } from './accessService.js'
import { ForbiddenError, NotFoundError } from './errors.js'
import type { PasswordHasher } from './passwords.js'

/** On success, the generation the session signs in at (migration 0026). */
export type SignInResult =
  { ok: true; personId: number; sessionGeneration: number } | { ok: false; reason: 'wrong' | 'locked' }

// Verified against when the email is unknown, so a wrong email takes as long as a wrong password.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0Ds0Q3vYkS1C9xj3N3v9wJx7VJx0wUuHc0QdGd3S1aA'

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

export interface AuthOptions {
  maxFailedSignIns: number
  lockMinutes: number
}

export function authService(db: Database, clock: Clock, passwords: PasswordHasher, options: AuthOptions) {
  return {
    async signIn(email: string, password: string): Promise<SignInResult> {
      const account = await findAccountByEmail(db, email)
      if (!account || !account.active) {
        await passwords.verify(DUMMY_HASH, password)
        return { ok: false, reason: 'wrong' }
      }
      const now = clock.now()
      if (account.lockedUntil && account.lockedUntil > now) {
        // As long as a refusal after checking a password: the time taken does not tell a locked account apart.
        await passwords.verify(DUMMY_HASH, password)
        return { ok: false, reason: 'locked' }
      }
      if (!(await passwords.verify(account.passwordHash, password))) {
        const lockUntil = new Date(now.getTime() + options.lockMinutes * 60_000)
        const failures = await recordFailedSignIn(db, account.personId, options.maxFailedSignIns, lockUntil, now)
        if (failures >= options.maxFailedSignIns) {
          await db.transaction(tx =>
            appendEvent(tx, {
              at: now,
              actorId: null,
              entityType: 'account',
              entityId: account.personId,
              kind: 'account.locked',
              data: { failures },
            }),
          )
          return { ok: false, reason: 'locked' }
        }
        return { ok: false, reason: 'wrong' }
      }
      await recordSuccessfulSignIn(db, account.personId, now)
      return { ok: true, personId: account.personId, sessionGeneration: account.sessionGeneration }
    },

    /** Returns the token once; only its hash is kept. */
    async issueToken(admin: CurrentUser, personId: number, name: string): Promise<string> {
      if (!admin.roles.includes('admin')) throw new ForbiddenError()
      if (!(await findPerson(db, personId))) throw new NotFoundError()
      const token = `concord_${randomBytes(32).toString('base64url')}`
      await storeToken(db, clock, personId, name, token, admin.person.id)
      return token
    },

    async revokeToken(admin: CurrentUser, personId: number, tokenId: number): Promise<void> {
      if (!admin.roles.includes('admin')) throw new ForbiddenError()
      await db.transaction(async tx => {
        const at = clock.now()
        if (!(await revokeToken(tx, personId, tokenId, at))) throw new NotFoundError()
        await appendEvent(tx, {
          at,
          actorId: admin.person.id,
          entityType: 'api_token',
          entityId: tokenId,
          kind: 'api_token.revoked',
          data: { personId },
        })
      })
    },

    tokensFor: (personId: number) => tokensFor(db, personId),

    /** The provider accounts a person signs in with (ADR 0016). */
    providerLinks: (personId: number) => linksOfPerson(db, personId),

    /**
     * Forgets which provider account signs in as this person, after the administrator has checked
     * who they are: their next sign-in through the provider links the account they then use. Any
     * browser signed in as them is signed out, in case the link was someone else's.
     */
    async removeProviderLinks(admin: CurrentUser, personId: number): Promise<number> {
      if (!admin.roles.includes('admin')) throw new ForbiddenError()
      if (!(await findPerson(db, personId))) throw new NotFoundError()
      return db.transaction(async tx => {
        const removed = await removeLinksOfPerson(tx, personId)
        if (!removed) return 0
        await signOutEverywhere(tx, personId)
        await appendEvent(tx, {
          at: clock.now(),
          actorId: admin.person.id,
          entityType: 'account',
          entityId: personId,
          kind: 'account.identity_unlinked',
          data: { removed },
        })
        return removed
      })
    },
  }
}

/** Stores a token's hash with its event; the demo uses this to issue a known token. */
export async function storeToken(
  db: Database,
  clock: Clock,
  personId: number,
  name: string,
  token: string,
  createdBy: number,
): Promise<number> {
  return db.transaction(async tx => {
    const at = clock.now()
    const id = await insertToken(tx, personId, name, hashToken(token), createdBy, at)
    await appendEvent(tx, {
      at,
      actorId: createdBy,
      entityType: 'api_token',
      entityId: id,
      kind: 'api_token.issued',
      data: { personId, name },
    })
    return id
  })
}
