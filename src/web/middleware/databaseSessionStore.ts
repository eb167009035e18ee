import session from 'express-session'
import type { Clock } from '../../clock.js'
import type { Queryable } from '../../db/database.js'
import { deleteSession, readSession, touchSession, writeSession } from '../../db/repositories/sessionRepository.js'

const DEFAULT_TTL_MS = 8 * 60 * 60 * 1000

/** Sessions live in the database, so any instance can serve any request. */
export class DatabaseSessionStore extends session.Store {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
  ) {
    super()
  }

  private expiry(sess: session.SessionData): Date {
    const maxAge = sess.cookie?.maxAge ?? DEFAULT_TTL_MS
    return new Date(this.clock.now().getTime() + maxAge)
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    readSession(this.db, sid, this.clock.now()).then(
      data => callback(null, (data as session.SessionData | undefined) ?? null),
      error => callback(error),
    )
  }

  override set(sid: string, sess: session.SessionData, callback?: (err?: unknown) => void): void {
    writeSession(this.db, sid, sess, this.expiry(sess)).then(
      () => callback?.(),
      error => callback?.(error),
    )
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    deleteSession(this.db, sid).then(
      () => callback?.(),
      error => callback?.(error),
    )
  }

  override touch(sid: string, sess: session.SessionData, callback?: () => void): void {
    touchSession(this.db, sid, this.expiry(sess)).then(
      () => callback?.(),
      () => callback?.(),
    )
  }
}
