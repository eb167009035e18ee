import { describe, expect, it } from 'vitest'
import { returnPath } from './returnPath.js'

describe('the page to come back to after signing in', () => {
  it('is the page asked for, with its query', () => {
    expect(returnPath('/disputes/50')).toBe('/disputes/50')
    expect(returnPath('/work/records?state=response_overdue')).toBe('/work/records?state=response_overdue')
  })

  it('is never another site, the sign-in pages, or anything odd', () => {
    for (const asked of [
      '//evil.example/x',
      '/\\evil.example',
      'https://evil.example/',
      'disputes/50',
      '',
      '/sign-in',
      '/sign-in?x=1',
      '/sign-in/callback',
      '/sign-out',
      '/work\u0000',
      '/a\\b',
      `/${'x'.repeat(600)}`,
      undefined,
      42,
    ])
      expect(returnPath(asked), String(asked)).toBeUndefined()
  })
})
