import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.js'

const oidc = {
  CONCORD_OIDC_ISSUER: 'https://login.example.gov.uk/tenant/v2.0',
  CONCORD_OIDC_CLIENT_ID: 'concord',
}

describe('sign-in configuration', () => {
  it('has local accounts and no provider by default', () => {
    expect(loadConfig({})).toMatchObject({ localAccounts: true, oidc: undefined })
  })

  it('reads the provider with defaults for the claim, the match and the redirect URL', () => {
    const config = loadConfig({ ...oidc, CONCORD_BASE_URL: 'https://concord.example.gov.uk/' })
    expect(config.oidc).toEqual({
      issuer: oidc.CONCORD_OIDC_ISSUER,
      clientId: 'concord',
      clientSecret: undefined,
      redirectUrl: 'https://concord.example.gov.uk/sign-in/callback',
      claim: 'email',
      matchOn: 'email',
      providerName: 'your organisation account',
      scopes: 'openid email profile',
    })
    const staff = loadConfig({
      ...oidc,
      CONCORD_OIDC_CLIENT_SECRET: 's3cret',
      CONCORD_OIDC_CLAIM: 'employeeid',
      CONCORD_OIDC_MATCH: 'staff_id',
      CONCORD_OIDC_PROVIDER_NAME: 'Microsoft',
      CONCORD_OIDC_REDIRECT_URL: 'https://concord.example.gov.uk/sign-in/callback',
      CONCORD_LOCAL_ACCOUNTS: 'off',
    })
    expect(staff).toMatchObject({
      localAccounts: false,
      oidc: { clientSecret: 's3cret', claim: 'employeeid', matchOn: 'staff_id', providerName: 'Microsoft' },
    })
  })

  it('refuses settings that would lock everyone out or cannot work', () => {
    expect(() => loadConfig({ CONCORD_LOCAL_ACCOUNTS: 'off' })).toThrow(/CONCORD_OIDC_ISSUER/)
    expect(() => loadConfig({ CONCORD_LOCAL_ACCOUNTS: 'no' })).toThrow(ConfigError)
    expect(() => loadConfig({ CONCORD_OIDC_ISSUER: 'https://login.example.gov.uk' })).toThrow(/CLIENT_ID/)
    expect(() => loadConfig({ ...oidc, CONCORD_OIDC_ISSUER: 'not a url' })).toThrow(ConfigError)
    expect(() => loadConfig({ ...oidc, CONCORD_OIDC_ISSUER: 'http://login.example.gov.uk' })).toThrow(/https/)
    expect(loadConfig({ ...oidc, CONCORD_OIDC_ISSUER: 'http://127.0.0.1:4000' }).oidc?.issuer).toBe(
      'http://127.0.0.1:4000',
    )
    expect(() => loadConfig({ ...oidc, CONCORD_OIDC_MATCH: 'name' })).toThrow(/email or staff_id/)
    expect(() => loadConfig({ ...oidc, CONCORD_OIDC_REDIRECT_URL: 'https://concord.example.gov.uk/callback' })).toThrow(
      /\/sign-in\/callback/,
    )
  })
})
