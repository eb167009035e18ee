import { describe, expect, it } from 'vitest'
import { AccessCache } from './accessCache.js'

function cacheAt(start = 0) {
  let now = start
  const cache = new AccessCache<string>({ ttlMs: 1000, maxEntries: 3, now: () => now })
  return { cache, advance: (ms: number) => (now += ms) }
}

describe('the access cache', () => {
  it('keeps nothing until it is listening for changes', () => {
    const { cache } = cacheAt()
    cache.store('a', 'Ann', cache.beginRead())
    expect(cache.get('a')).toBeUndefined()
    cache.setListening(true)
    cache.store('a', 'Ann', cache.beginRead())
    expect(cache.get('a')).toBe('Ann')
  })

  it('forgets everything on a change, and refuses an answer read before the change', () => {
    const { cache } = cacheAt()
    cache.setListening(true)
    cache.store('a', 'Ann', cache.beginRead())
    const readBeforeChange = cache.beginRead()
    cache.invalidate()
    expect(cache.get('a')).toBeUndefined()
    cache.store('b', 'stale Bob', readBeforeChange)
    expect(cache.get('b')).toBeUndefined()
    cache.store('b', 'Bob', cache.beginRead())
    expect(cache.get('b')).toBe('Bob')
  })

  it('forgets everything and keeps nothing more when listening stops', () => {
    const { cache } = cacheAt()
    cache.setListening(true)
    const readWhileListening = cache.beginRead()
    cache.store('a', 'Ann', cache.beginRead())
    cache.setListening(false)
    expect(cache.get('a')).toBeUndefined()
    cache.store('a', 'Ann', readWhileListening)
    cache.store('a', 'Ann', cache.beginRead())
    expect(cache.size).toBe(0)
  })

  it('lets an entry go after its time to live', () => {
    const { cache, advance } = cacheAt()
    cache.setListening(true)
    cache.store('a', 'Ann', cache.beginRead())
    advance(1000)
    expect(cache.get('a')).toBe('Ann')
    advance(1)
    expect(cache.get('a')).toBeUndefined()
  })

  it('starts again when full rather than growing without bound', () => {
    const { cache } = cacheAt()
    cache.setListening(true)
    for (const key of ['a', 'b', 'c', 'd']) cache.store(key, key, cache.beginRead())
    expect(cache.size).toBe(1)
    expect(cache.get('d')).toBe('d')
  })
})
