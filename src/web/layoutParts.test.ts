import express from 'express'
import { describe, expect, it } from 'vitest'
import { renderLayoutParts } from './layoutParts.js'
import { nunjucksSetup } from './nunjucksSetup.js'

describe('the layout’s fixed parts', () => {
  const env = nunjucksSetup(express(), { serviceName: 'Concord', authorityName: 'Test Council' })

  it('name the authority in the header and footer, escaped, with no GOV.UK crown or copyright', () => {
    const parts = renderLayoutParts(env, 'Brighton & Hove <City> Council')
    const escaped = 'Brighton &amp; Hove &lt;City&gt; Council'
    expect(String(parts.header)).toMatch(
      new RegExp(`<a href="/" class="govuk-generic-header__homepage-link">\\s*${escaped}\\s*</a>`),
    )
    expect(String(parts.footer)).toContain(`Concord is run by ${escaped} for its children’s services.`)
    expect(String(parts.footer)).toContain(`© ${escaped}`)
    for (const part of [parts.header, parts.footer]) {
      expect(String(part)).not.toContain('<City>')
      expect(String(part)).not.toMatch(/crown|GOV\.UK|Open Government Licence/i)
    }
    expect(String(parts.phaseBanner)).toContain('This is a new service.')
  })
})
