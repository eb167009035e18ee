import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider, { type KoaContextWithOIDC } from 'oidc-provider'

export interface TestProvider {
  issuer: string
  clientId: string
  clientSecret: string
  /** How many times the token endpoint issued tokens, and the end-session requests seen. */
  signOuts: string[]
  /**
   * Plays a man in the middle: `state` alters the state on the way back to Concord, `nonce` the
   * nonce on the way to the provider (so the ID token carries one Concord never sent).
   */
  tamper: { state: boolean; nonce: boolean }
  /** The last genuine redirect back to Concord, before any tampering. */
  lastCallback: string | undefined
  close(): Promise<void>
}

export interface ProviderOptions {
  /** Concord's callback URL and the URL the provider returns to after signing out. */
  redirectUri: string
  postLogoutRedirectUri: string
  /** Claims per login name; any other login name gets only `email: <login>@test.example`. */
  accounts?: Record<string, Record<string, unknown>>
  /** Leave out the end_session_endpoint, as some providers do. */
  noSignOut?: boolean
}

/**
 * A real OpenID Connect provider (node-oidc-provider) on a free loopback port, with one
 * confidential test client and its development login form, which takes any login name with
 * any password. Consent is given for the test client without asking, as for a first-party app.
 */
export async function startTestProvider(options: ProviderOptions): Promise<TestProvider> {
  const server: Server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  const issuer = `http://127.0.0.1:${port}`
  const clientId = 'concord-test'
  const clientSecret = 'concord-test-secret-that-is-long-enough-for-hs256'
  const signOuts: string[] = []
  const scopes = 'openid email profile'
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        post_logout_redirect_uris: [options.postLogoutRedirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    cookies: { keys: ['test-provider-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'employee_id'] },
    scopes: scopes.split(' '),
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: !options.noSignOut },
    },
    async findAccount(_ctx: KoaContextWithOIDC, sub: string) {
      const claims = options.accounts?.[sub] ?? { email: `${sub}@test.example`, email_verified: true }
      return { accountId: sub, claims: () => ({ sub, ...claims }) }
    },
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId)
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId)
        if (existing) return existing
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId,
      })
      grant.addOIDCScope(scopes)
      await grant.save()
      return grant
    },
  })
  provider.on('end_session.success', () => signOuts.push('ended'))
  const result: TestProvider = {
    issuer,
    clientId,
    clientSecret,
    signOuts,
    tamper: { state: false, nonce: false },
    lastCallback: undefined,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  provider.use(async (ctx, next) => {
    if (result.tamper.nonce && ctx.path === '/auth' && typeof ctx.query.nonce === 'string') {
      const query = new URLSearchParams(ctx.querystring)
      query.set('nonce', 'a-nonce-chosen-by-an-attacker')
      ctx.querystring = query.toString()
    }
    await next()
    const location = (ctx.response.get('location') as string | undefined) ?? ''
    if (location.startsWith(options.redirectUri)) {
      result.lastCallback = location
      if (result.tamper.state) {
        const url = new URL(location)
        url.searchParams.set('state', `${url.searchParams.get('state')}-altered`)
        ctx.redirect(url.href)
      }
    }
  })
  server.on('request', provider.callback())
  return result
}
