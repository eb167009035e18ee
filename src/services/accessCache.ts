/**
 * Who a session or an API token belongs to, remembered between requests (ADR 0021). The database
 * tells every instance when people, units or tokens change (a NOTIFY from a trigger, see migration
 * 0016): the whole cache is then forgotten. While nothing is listening for those notifications (no
 * listener yet, or its connection lost) the cache holds nothing, so every request reads afresh.
 */
export class AccessCache<V> {
  private readonly entries = new Map<string, { value: V; storedAt: number }>()
  /** Moves on at every change: a read that began before a change must not be stored after it. */
  private generation = 0
  private listening = false

  constructor(
    private readonly options: { ttlMs: number; maxEntries: number; now?: () => number } = {
      ttlMs: 60_000,
      maxEntries: 10_000,
    },
  ) {}

  private now(): number {
    return this.options.now ? this.options.now() : performance.now()
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    // A bound on staleness even if a notification were lost on a connection not yet seen to be dead.
    if (this.now() - entry.storedAt > this.options.ttlMs) {
      this.entries.delete(key)
      return undefined
    }
    return entry.value
  }

  /** Call before reading from the database; pass the answer to store(). */
  beginRead(): number {
    return this.generation
  }

  store(key: string, value: V, readAt: number): void {
    if (!this.listening || readAt !== this.generation) return
    if (this.entries.size >= this.options.maxEntries) this.entries.clear()
    this.entries.set(key, { value, storedAt: this.now() })
  }

  /** Something changed: forget everything, and refuse answers read before now. */
  invalidate(): void {
    this.generation++
    this.entries.clear()
  }

  /** Listening for changes (true) or not (false); either way what was remembered may be stale. */
  setListening(listening: boolean): void {
    this.invalidate()
    this.listening = listening
  }

  get size(): number {
    return this.entries.size
  }
}
