import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { queryWithoutNul, withoutNul } from './withoutNulCharacters.js'

describe('NUL characters', () => {
  it('are taken out of every string at any depth, keys too, and nothing else changes', () => {
    expect(
      withoutNul({
        summary: 'Talked\u0000 it through',
        'a\u0000b': ['x\u0000', 2, null, { deep: '\u0000' }],
        ok: true,
      }),
    ).toEqual({ summary: 'Talked it through', ab: ['x', 2, null, { deep: '' }], ok: true })
    fc.assert(
      fc.property(fc.jsonValue(), value => {
        const cleaned = withoutNul(value)
        expect(JSON.stringify(cleaned)).not.toContain('\\u0000')
        if (!JSON.stringify(value).includes('\\u0000')) expect(cleaned).toEqual(value)
      }),
    )
  })

  it('are taken out of a query string, as Express’s simple parser reads it', () => {
    expect(queryWithoutNul('q=%00a%00b&page=2&tag=x&tag=y')).toEqual({ q: 'ab', page: '2', tag: ['x', 'y'] })
  })
})
