import * as client from 'openid-client'
import type { Clock } from '../clock.js'
import type { OidcConfig } from '../config.js'
import type { Database } from '../db/database.js'
import { appendEvent } from '../db/repositories/eventRepository.js'
import { sessionGenerationForSignIn } from '../db/repositories/sessionRepository.js'
import {
  findPersonForSignIn,
  linksForSignIn,
  recordExternalSignIn,
} from '../db/repositories/externalIdentityRepository.js'
import { decideProviderSignIn } from '../domain/providerSignIn.js'
import type { Logger } from '../logger.js'

/** What the browser's session keeps between sending someone to the provider and their return. */
export interface PendingSignIn {
  state: string
  nonce: string
  codeVerifier: string
}

export type OidcSignInResult =
  | { ok: true; personId: number; sessionGeneration: number; idToken: string | undefined }
  /**
   * unknown: no active person matches; mismatch: the claim and the provider account's link disagree;
   * failed: the response was not valid (state, nonce, code, signature).
   */
  | { ok: false; reason: 'unknown' | 'mismatch' | 'failed' }

/** Thrown when the provider cannot be reached to discover its endpoints. */
export class ProviderUnavailableError extends Error {}

// Loopback issuers are plain HTTP in development and tests; anything else must be HTTPS.
const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)

/**
 * OpenID Connect sign-in through openid-client: authorization code flow with PKCE (S256), state
 * and nonce. The first sign-in matches an existing Concord person by one claim and links the
 * provider account to them; later ones go by that link (domain/providerSignIn). Nobody is ever
 * created here.
 */
export function oidcService(db: Database, clock: Clock, config: OidcConfig, logger?: Logger) {
  let discovered: Promise<client.Configuration> | undefined

  /** Discovery once per process, retried on the next sign-in if the provider was down. */
  function configuration(): Promise<client.Configuration> {
    discovered ??= (async () => {
      const issuer = new URL(config.issuer)
      const auth = config.clientSecret ? client.ClientSecretPost(config.clientSecret) : client.None()
      return client.discovery(
        issuer,
        config.clientId,
        { redirect_uris: [config.redirectUrl], response_types: ['code'] },
        auth,
        issuer.protocol === 'http:' && isLoopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined,
      )
    })()
    return discovered.catch(error => {
      discovered = undefined
      logger?.warn({ err: (error as Error).message }, 'identity provider discovery failed')
      throw new ProviderUnavailableError('The identity provider could not be reached')
    })
  }

  async function claimValue(
    oidc: client.Configuration,
    tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>,
  ): Promise<{ subject: string; value: unknown; verified: unknown }> {
    const idToken = tokens.claims()
    if (!idToken) throw new Error('no ID token in the response')
    if (idToken[config.claim] !== undefined || !oidc.serverMetadata().userinfo_endpoint)
      return { subject: idToken.sub, value: idToken[config.claim], verified: idToken.email_verified }
    // Providers that conform the ID token to the scopes put profile claims in userinfo only.
    const info = await client.fetchUserInfo(oidc, tokens.access_token, idToken.sub)
    return { subject: idToken.sub, value: info[config.claim], verified: info.email_verified }
  }

  return {
    providerName: config.providerName,

    /** The provider's authorization URL and the secrets the session must keep until the callback. */
    async begin(): Promise<{ url: string; pending: PendingSignIn }> {
      const oidc = await configuration()
      const pending = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
      }
      const url = client.buildAuthorizationUrl(oidc, {
        redirect_uri: config.redirectUrl,
        scope: config.scopes,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
      })
      return { url: url.href, pending }
    },

    /**
     * Checks the provider's response against what the session kept (state, nonce, PKCE), redeems
     * the code and matches the claim to an active person. `query` is the callback's query string.
     */
    async complete(query: string, pending: PendingSignIn | undefined): Promise<OidcSignInResult> {
      if (!pending) return { ok: false, reason: 'failed' }
      const oidc = await configuration()
      const callback = new URL(config.redirectUrl)
      callback.search = query
      let subject: string
      let value: unknown
      let idToken: string | undefined
      try {
        const tokens = await client.authorizationCodeGrant(oidc, callback, {
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          pkceCodeVerifier: pending.codeVerifier,
        })
        idToken = tokens.id_token
        const claim = await claimValue(oidc, tokens)
        subject = claim.subject
        value = claim.value
        // An email the provider says is unverified proves nothing about who this is.
        if (config.claim === 'email' && claim.verified === false) value = undefined
      } catch (error) {
        logger?.warn({ err: (error as Error).message, code: (error as { code?: string }).code }, 'OIDC sign-in failed')
        return { ok: false, reason: 'failed' }
      }
      // Some providers send a numeric employee number.
      if (typeof value === 'number' && Number.isSafeInteger(value)) value = String(value)
      if (typeof value !== 'string' || value.trim() === '') {
        logger?.warn({ claim: config.claim }, 'OIDC sign-in refused: the claim is missing')
        return { ok: false, reason: 'unknown' }
      }
      const claimed = await findPersonForSignIn(db, config.matchOn, value.trim())
      const issuer = oidc.serverMetadata().issuer
      const decision = await db.transaction(async tx => {
        // The claimed person's row is locked first, so two new provider accounts for one person are
        // taken in turn, and signing them out everywhere waits for this sign-in and then outdates it.
        const sessionGeneration = claimed ? await sessionGenerationForSignIn(tx, claimed.id) : undefined
        const links = await linksForSignIn(tx, issuer, subject, claimed?.id)
        const decided = decideProviderSignIn({ subject, claimed, ...links })
        const at = clock.now()
        if (decided.outcome === 'mismatch') {
          // On the record of each person involved, for the administrator who is asked about it.
          const involved = new Set([links.linkedPersonId, claimed?.id].filter(id => id !== undefined))
          for (const personId of involved)
            await appendEvent(tx, {
              at,
              actorId: null,
              entityType: 'account',
              entityId: personId,
              kind: 'account.provider_sign_in_refused',
              data: { issuer, reason: decided.reason },
            })
        }
        if (decided.outcome !== 'sign-in') return decided
        await recordExternalSignIn(tx, issuer, subject, decided.personId, at)
        if (decided.newLink)
          await appendEvent(tx, {
            at,
            actorId: decided.personId,
            entityType: 'account',
            entityId: decided.personId,
            kind: 'account.identity_linked',
            data: { issuer },
          })
        // The sign-in is the claimed person's (decideProviderSignIn), whose row was found and locked.
        return { ...decided, sessionGeneration: sessionGeneration! }
      })
      if (decision.outcome === 'unknown') {
        logger?.warn({ matched: Boolean(claimed) }, 'OIDC sign-in refused: no active person matches')
        return { ok: false, reason: 'unknown' }
      }
      if (decision.outcome === 'mismatch') {
        logger?.warn({ reason: decision.reason }, 'OIDC sign-in refused: the claim and the linked account disagree')
        return { ok: false, reason: 'mismatch' }
      }
      return { ok: true, personId: decision.personId, sessionGeneration: decision.sessionGeneration, idToken }
    },

    /** Where to send someone after Concord's session ends, when the provider can end its own. */
    async endSessionUrl(idToken: string | undefined, returnTo: string): Promise<string | undefined> {
      let oidc: client.Configuration
      try {
        oidc = await configuration()
      } catch {
        return undefined
      }
      if (!oidc.serverMetadata().end_session_endpoint) return undefined
      const parameters: Record<string, string> = { post_logout_redirect_uri: returnTo }
      if (idToken) parameters.id_token_hint = idToken
      return client.buildEndSessionUrl(oidc, parameters).href
    },
  }
}

export type OidcService = ReturnType<typeof oidcService>
