import nunjucks from 'nunjucks'
import { paths } from './paths.js'

/**
 * The parts of every page's layout that are the same for every request (skip link, header, phase
 * banner, footer), rendered once when the service starts. Rendering GOV.UK's macros costs more than
 * the rest of a page, so a page only renders what depends on the request.
 *
 * The header and footer are the authority's, not GOV.UK's (ADR 0026): Concord is a council's service,
 * not one on GOV.UK, so it shows no crown, GOV.UK logotype or Crown copyright.
 */
export function renderLayoutParts(env: nunjucks.Environment, authorityName: string) {
  const render = (macroFile: string, macro: string, params: unknown) =>
    new nunjucks.runtime.SafeString(
      env
        .renderString(`{% from "govuk/components/${macroFile}/macro.njk" import ${macro} %}{{ ${macro}(params) }}`, {
          params,
        })
        .trim(),
    )
  return {
    skipLink: render('skip-link', 'govukSkipLink', { href: '#main-content', text: 'Skip to main content' }),
    header: render('generic-header', 'govukGenericHeader', { url: paths.home(), logoText: authorityName }),
    phaseBanner: render('phase-banner', 'govukPhaseBanner', {
      tag: { text: 'Beta' },
      text: 'This is a new service.',
    }),
    footer: new nunjucks.runtime.SafeString(env.render('partials/footer.njk', { authorityName }).trim()),
  }
}
