import { describe, expect, it } from 'vitest'
import { backToList, returnPath } from './returnPath.js'

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

describe('the back link from a record', () => {
  const host = ['concord.example']
  it('goes back to the list it was opened from, filters and page kept', () => {
    expect(backToList('https://concord.example/supervision?reviewer=3&state=to_finalise&page=2', host)).toEqual({
      href: '/supervision?reviewer=3&state=to_finalise&page=2',
      text: 'Supervision',
    })
    expect(backToList('https://concord.example/work/records', host)?.text).toBe('My open records')
    expect(backToList('https://concord.example/children/12', host)?.href).toBe('/children/12')
  })

  it('is nothing for another site, another page or no Referer at all', () => {
    for (const referer of [
      undefined,
      'not a url',
      'https://evil.example/supervision',
      'https://concord.example/disputes/5/respond',
      'https://concord.example/supervision/x',
    ])
      expect(backToList(referer, host), referer).toBeUndefined()
  })
})
