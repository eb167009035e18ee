import express from 'express'
import { describe, expect, it } from 'vitest'
import { nunjucksSetup } from './nunjucksSetup.js'
import { type NavigationFor, serviceNavigation } from './serviceNavigation.js'

const env = nunjucksSetup(express(), { serviceName: 'Concord', authorityName: 'Test Council' })
const myWork = 'My work <span class="moj-badge app-work-badge">3</span>'
const signOut = '<form method="post" action="/sign-out"><button>Sign out</button></form>'

/** What GOV.UK's macro renders, called directly on every request as the header used to. */
function direct(items: { href: string; text: string }[], active: string | undefined) {
  return env
    .renderString(
      '{% from "govuk/components/service-navigation/macro.njk" import govukServiceNavigation %}{{ govukServiceNavigation(params) }}',
      {
        params: {
          serviceName: 'Concord',
          serviceUrl: '/',
          navigation: items.map((item, i) => ({
            href: item.href,
            ...(i === 0 ? { html: myWork } : { text: item.text }),
            active: item.text === active,
          })),
          slots: { end: { html: signOut } },
        },
      },
    )
    .trim()
}

const everyone = [
  { href: '/work', text: 'My work' },
  { href: '/children', text: 'Children' },
  { href: '/disputes', text: 'Disputes' },
  { href: '/notes', text: 'Notes' },
  { href: '/people', text: 'People' },
  { href: '/teams', text: 'Teams' },
]
const reports = { href: '/reports', text: 'Reports' }
const administrators = [
  { href: '/policies', text: 'Policies' },
  { href: '/calendar', text: 'Calendar' },
  { href: '/import', text: 'Import' },
  { href: '/retention', text: 'Retention' },
]

describe('the service navigation, rendered once for each variant', () => {
  const nav = serviceNavigation(env)
  const render = (on: NavigationFor) => nav(on, myWork, signOut).toString()
  const signedIn = { signedIn: true, showReports: false, admin: false }

  it('is what GOV.UK’s macro renders, for each set of sections and each current one, in any order', () => {
    // The same current path for different users first, so that a variant kept for one cannot serve another.
    expect(render({ ...signedIn, admin: true, showReports: true, currentPath: '/children/4' })).toBe(
      direct([...everyone, reports, ...administrators], 'Children'),
    )
    expect(render({ ...signedIn, currentPath: '/children/4' })).toBe(direct(everyone, 'Children'))
    expect(render({ ...signedIn, showReports: true, currentPath: '/reports/timeliness' })).toBe(
      direct([...everyone, reports], 'Reports'),
    )
    expect(render({ ...signedIn, admin: true, currentPath: '/calendar' })).toBe(
      direct([...everyone, ...administrators], 'Calendar'),
    )
    expect(render({ ...signedIn, currentPath: '/children' })).toBe(direct(everyone, 'Children'))
  })

  it('marks My work current on the work, supervision and unanswered pages, and nothing elsewhere', () => {
    for (const path of ['/work', '/work/records', '/supervision', '/unanswered'])
      expect(render({ ...signedIn, currentPath: path })).toBe(direct(everyone, 'My work'))
    expect(render({ ...signedIn, currentPath: '/settings/notifications' })).toBe(direct(everyone, undefined))
  })

  it('shows only the service name and the end slot to someone not signed in', () => {
    const html = nav({ signedIn: false, showReports: false, admin: false, currentPath: '/sign-in' }, '', '').toString()
    expect(html).toBe(direct([], undefined).replace(signOut, ''))
    expect(html).not.toContain('<nav')
  })

  it('puts each request’s own badge and sign-out form in place', () => {
    const html = nav({ ...signedIn, currentPath: '/work' }, 'My work <span>7</span>', '<form>Ann</form>').toString()
    expect(html).toContain('<strong class="govuk-service-navigation__active-fallback">My work <span>7</span></strong>')
    expect(html).toContain('<form>Ann</form>')
    expect(html).not.toContain('\u0000')
  })
})
