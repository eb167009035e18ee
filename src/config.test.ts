import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.js'

describe('loadConfig', () => {
  it('has working defaults for a laptop', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      port: 3000,
      dataDir: './data/concord',
      databaseUrl: undefined,
      demo: true,
      production: false,
      clock: undefined,
    })
  })

  it('writes the demo’s emails beside its own database, so that two demos never share a folder', () => {
    expect(loadConfig({}).mailDir).toBe('./data/concord-outbox')
    expect(loadConfig({ CONCORD_DATA_DIR: '/tmp/walk-data/' }).mailDir).toBe('/tmp/walk-data-outbox')
    expect(loadConfig({ CONCORD_DATA_DIR: '/tmp/a', CONCORD_MAIL_DIR: '/srv/mail' }).mailDir).toBe('/srv/mail')
    for (const odd of ['memory://', '', '.'])
      expect(loadConfig({ CONCORD_DATA_DIR: odd }).mailDir, odd).toBe('./data/outbox')
  })

  it('names the authority from CONCORD_AUTHORITY_NAME, and a blank one as the default', () => {
    expect(loadConfig({ CONCORD_AUTHORITY_NAME: ' Brighton & Hove City Council ' }).authorityName).toBe(
      'Brighton & Hove City Council',
    )
    expect(loadConfig({ CONCORD_AUTHORITY_NAME: '  ' }).authorityName).toBe(loadConfig({}).authorityName)
  })

  it('fixes the clock from CONCORD_CLOCK, and refuses it in production', () => {
    expect(loadConfig({ CONCORD_CLOCK: '2023-01-05T09:00:00Z' }).clock?.toISOString()).toBe('2023-01-05T09:00:00.000Z')
    expect(() => loadConfig({ CONCORD_CLOCK: 'next tuesday' })).toThrow(ConfigError)
    expect(() =>
      loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 's', CONCORD_CLOCK: '2023-01-05T09:00:00Z' }),
    ).toThrow(/production/)
  })

  it('needs a session secret in production, where the demo is off and cookies are secure', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET/)
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 's' })).toMatchObject({
      demo: false,
      secureCookies: true,
    })
  })

  it('makes no session secret of its own, and loads the demo by default only on the embedded database', () => {
    expect(loadConfig({}).sessionSecret).toBeUndefined()
    expect(loadConfig({ SESSION_SECRET: '' }).sessionSecret).toBeUndefined()
    expect(loadConfig({ SESSION_SECRET: 'from the environment' }).sessionSecret).toBe('from the environment')
    expect(loadConfig({}).demo).toBe(true)
    expect(loadConfig({ DATABASE_URL: 'postgres://db/concord' }).demo).toBe(false)
    expect(loadConfig({ DATABASE_URL: 'postgres://db/concord', CONCORD_DEMO: 'true' }).demo).toBe(true)
  })

  it('renames roles from CONCORD_ROLE_TITLES and rejects unknown ones', () => {
    const config = loadConfig({ CONCORD_ROLE_TITLES: '{"service_manager":"Group manager"}' })
    expect(config.roleTitles.service_manager).toBe('Group manager')
    expect(config.roleTitles.team_manager).toBe('Team manager')
    expect(() => loadConfig({ CONCORD_ROLE_TITLES: '{"wizard":"Wizard"}' })).toThrow(ConfigError)
  })

  it('refuses a port that is not a port', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError)
  })
})
