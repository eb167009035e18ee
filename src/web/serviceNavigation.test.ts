import express from 'express'
import nunjucks from 'nunjucks'
import { describe, expect, it } from 'vitest'
import { nunjucksSetup } from './nunjucksSetup.js'
import { type NavigationFor, serviceNavigation } from './serviceNavigation.js'

const env = nunjucksSetup(express(), { serviceName: 'Concord', authorityName: 'Test Council' })
const myWorkHtml = 'My work <span class="moj-badge app-work-badge">3</span>'
const signOutHtml = '<form method="post" action="/sign-out"><button>Sign out</button></form>'
const myWork = new nunjucks.runtime.SafeString(myWorkHtml)
const signOut = new nunjucks.runtime.SafeString(signOutHtml)

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
            ...(i === 0 ? { html: myWorkHtml } : { text: item.text }),
            active: item.text === active,
          })),
          slots: { end: { html: signOutHtml } },
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
    const variants = [false, true].flatMap(showReports =>
      [false, true].flatMap(admin =>
        ['/work', '/children/4', '/reports/timeliness', '/calendar', '/settings/notifications'].map(currentPath => ({
          on: { signedIn: true, showReports, admin, currentPath },
          expected: direct(
            [...everyone, ...(showReports ? [reports] : []), ...(admin ? administrators : [])],
            {
              '/work': 'My work',
              '/children/4': 'Children',
              '/reports/timeliness': showReports ? 'Reports' : undefined,
              '/calendar': admin ? 'Calendar' : undefined,
            }[currentPath],
          ),
        })),
      ),
    )
    // Each variant from a navigation that has rendered every other one first, in both orders, so that a
    // variant kept for one user cannot serve another; and each from a fresh one.
    for (const order of [variants, [...variants].reverse()]) {
      const shared = serviceNavigation(env)
      for (const { on } of order) shared(on, myWork, signOut)
      for (const { on, expected } of order) {
        expect(shared(on, myWork, signOut).toString(), JSON.stringify(on)).toBe(expected)
        expect(serviceNavigation(env)(on, myWork, signOut).toString(), JSON.stringify(on)).toBe(expected)
      }
    }
  })

  it('marks My work current on the work, supervision and unanswered pages, and nothing elsewhere', () => {
    for (const path of ['/work', '/work/records', '/supervision', '/unanswered'])
      expect(render({ ...signedIn, currentPath: path })).toBe(direct(everyone, 'My work'))
    expect(render({ ...signedIn, currentPath: '/settings/notifications' })).toBe(direct(everyone, undefined))
  })

  it('shows only the service name and the end slot to someone not signed in', () => {
    const html = nav({ signedIn: false, showReports: false, admin: false, currentPath: '/sign-in' }, '', '').toString()
    expect(html).toBe(direct([], undefined).replace(signOutHtml, ''))
    expect(html).not.toContain('<nav')
  })

  it('puts each request’s own badge and sign-out form in place, escaping what is not already HTML', () => {
    const safe = (s: string) => new nunjucks.runtime.SafeString(s)
    const html = nav({ ...signedIn, currentPath: '/work' }, safe('My work <span>7</span>'), safe('<form>Ann</form>'))
    expect(html.toString()).toContain(
      '<strong class="govuk-service-navigation__active-fallback">My work <span>7</span></strong>',
    )
    expect(html.toString()).toContain('<form>Ann</form>')
    expect(html.toString()).not.toContain('%%concord')
    const plain = nav({ ...signedIn, currentPath: '/work' }, 'My work <b>', '<script>x</script>').toString()
    expect(plain).toContain('My work &lt;b&gt;')
    expect(plain).toContain('&lt;script&gt;x&lt;/script&gt;')
  })

  it('is what the header shows, with the signed-in person’s name escaped', () => {
    const header = (ctx: object) => env.render('partials/header.njk', { csrfToken: 'token', ...ctx })
    const ann = { person: { givenName: 'Ann<script>', familyName: 'Smith' }, roles: ['admin'] }
    const page = header({ user: ann, showReports: true, currentPath: '/policies/x', workCount: 2 })
    expect(page).toContain('Ann&lt;script&gt; Smith')
    expect(page).not.toContain('Ann<script>')
    expect(page).toMatch(/href="\/policies" aria-current="true"/)
    expect(page).toContain('href="/reports"')
    expect(page).toContain('moj-badge--red app-work-badge" data-qa="work-count">2</span>')
    // Not signed in: no sections, and no current path is needed.
    const signedOut = header({})
    expect(signedOut).toContain('govuk-service-navigation__service-name')
    expect(signedOut).not.toContain('<nav')
    expect(signedOut).not.toContain('Sign out')
  })
})
