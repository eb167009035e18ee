import nunjucks from 'nunjucks'
import { paths } from './paths.js'

/** The header's sections, in order; a section is current for any path under one of its prefixes. */
const sections = [
  { text: 'My work', href: paths.work.index(), prefixes: ['/work', '/supervision', '/unanswered'] },
  { text: 'Children', href: paths.children.index(), prefixes: ['/children'] },
  { text: 'Disputes', href: paths.disputes.index(), prefixes: ['/disputes'] },
  { text: 'Notes', href: paths.notes.index(), prefixes: ['/notes'] },
  { text: 'People', href: paths.people.index(), prefixes: ['/people'] },
  { text: 'Teams', href: paths.teams.index(), prefixes: ['/teams'] },
  { text: 'Reports', href: paths.reports.index(), prefixes: ['/reports'], reports: true },
  { text: 'Policies', href: paths.policies.index(), prefixes: ['/policies'], admin: true },
  { text: 'Calendar', href: paths.calendar.index(), prefixes: ['/calendar'], admin: true },
  { text: 'Import', href: paths.imports.index(), prefixes: ['/import'], admin: true },
  { text: 'Retention', href: paths.dataProtection.retention(), prefixes: ['/retention'], admin: true },
] as const

export interface NavigationFor {
  signedIn: boolean
  showReports: boolean
  admin: boolean
  currentPath: string
}

// Stand-ins for the two parts that differ on every request; GOV.UK's macro outputs both unescaped.
const WORK = '%%concord-my-work%%'
const END = '%%concord-end%%'
const STAND_IN = /%%concord-(my-work|end)%%/

/**
 * GOV.UK's service navigation, rendered by its own macro once for each combination of the sections a
 * user sees and the current one (at most a few dozen), then joined on each request with the two parts
 * that are the request's own: the My work link's badge and the sign-out form. The macro cost a page
 * more than the rest of its layout.
 */
export function serviceNavigation(env: nunjucks.Environment) {
  const rendered = new Map<string, string[]>()
  const render = (visible: (typeof sections)[number][], current: number) => {
    const html = env
      .renderString(
        '{% from "govuk/components/service-navigation/macro.njk" import govukServiceNavigation %}{{ govukServiceNavigation(params) }}',
        {
          params: {
            serviceName: 'Concord',
            serviceUrl: paths.home(),
            navigation: visible.map((s, i) => ({
              href: s.href,
              ...(i === 0 ? { html: WORK } : { text: s.text }),
              active: i === current,
            })),
            slots: { end: { html: END } },
          },
        },
      )
      .trim()
    // Split on the stand-ins, keeping their names at the odd places: a change in how GOV.UK writes
    // them out fails here, when first rendered, rather than dropping part of the header.
    const parts = html.split(STAND_IN)
    const names = parts.filter((_, i) => i % 2 === 1).join(',')
    if (names !== (visible.length > 0 ? 'my-work,end' : 'end'))
      throw new Error(`service navigation: expected each stand-in once, in order; found ${names}`)
    return parts
  }
  // A part that is not already HTML (a SafeString) is escaped, by Nunjucks' own filter.
  const escape = env.getFilter('escape') as (s: string) => unknown
  const html = (part: unknown) =>
    String(part instanceof nunjucks.runtime.SafeString ? part : escape(String(part ?? '')))

  return (on: NavigationFor, myWorkHtml: unknown, endHtml: unknown) => {
    const visible = on.signedIn
      ? sections.filter(s => (!('reports' in s) || on.showReports) && (!('admin' in s) || on.admin))
      : []
    const current = visible.findIndex(s => s.prefixes.some(p => on.currentPath.startsWith(p)))
    const key = `${on.signedIn}:${on.showReports}:${on.admin}:${current}`
    let parts = rendered.get(key)
    if (!parts) {
      parts = render(visible, current)
      rendered.set(key, parts)
    }
    const named = { 'my-work': html(myWorkHtml), end: html(endHtml) }
    const joined = parts.map((part, i) => (i % 2 === 1 ? named[part as keyof typeof named] : part)).join('')
    return new nunjucks.runtime.SafeString(joined)
  }
}
