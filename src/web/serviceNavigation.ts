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
const WORK = '\u0000my-work\u0000'
const END = '\u0000end\u0000'

/**
 * GOV.UK's service navigation, rendered by its own macro once for each combination of the sections a
 * user sees and the current one (at most a few dozen), then joined on each request with the two parts
 * that are the request's own: the My work link's badge and the sign-out form, both already escaped by
 * the templates that render them. The macro cost a page more than the rest of its layout.
 */
export function serviceNavigation(env: nunjucks.Environment) {
  const rendered = new Map<string, string[]>()
  const render = (visible: (typeof sections)[number][], current: number) =>
    env
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
      .split(WORK)
      .flatMap(part => part.split(END))

  return (on: NavigationFor, myWorkHtml: string, endHtml: string) => {
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
    // With nobody signed in there is no My work link: the one stand-in left is the end slot's.
    const html =
      parts.length === 3 ? parts[0] + myWorkHtml + parts[1] + endHtml + parts[2] : parts[0] + endHtml + parts[1]
    return new nunjucks.runtime.SafeString(html)
  }
}
