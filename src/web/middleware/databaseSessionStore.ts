import session from 'express-session'
import type { Clock } from '../../clock.js'
import type { Queryable } from '../../db/database.js'
import { deleteSession, readSession, touchSession, writeSession } from '../../db/repositories/sessionRepository.js'

const DEFAULT_TTL_MS = 8 * 60 * 60 * 1000
/** A rolling session's expiry is pushed back at most this often, so a page view is not always a write. */
const TOUCH_INTERVAL_MS = 60_000
const MAX_REMEMBERED = 10_000

/** Sessions live in the database, so any instance can serve any request. */
export class DatabaseSessionStore extends session.Store {
  /** When this instance last wrote each session's expiry (another instance may have written later: no harm). */
  private readonly written = new Map<string, number>()

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

  private remember(sid: string): void {
    if (this.written.size >= MAX_REMEMBERED) this.written.clear()
    this.written.set(sid, this.clock.now().getTime())
  }

  override set(sid: string, sess: session.SessionData, callback?: (err?: unknown) => void): void {
    this.remember(sid)
    writeSession(this.db, sid, sess, this.expiry(sess)).then(
      () => callback?.(),
      error => callback?.(error),
    )
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.written.delete(sid)
    deleteSession(this.db, sid).then(
      () => callback?.(),
      error => callback?.(error),
    )
  }

  /** The expiry moves at most a minute late, a trade for not writing on every request. */
  override touch(sid: string, sess: session.SessionData, callback?: () => void): void {
    const last = this.written.get(sid)
    if (last !== undefined && this.clock.now().getTime() - last < TOUCH_INTERVAL_MS) {
      callback?.()
      return
    }
    this.remember(sid)
    touchSession(this.db, sid, this.expiry(sess)).then(
      () => callback?.(),
      () => callback?.(),
    )
  }
}
