import type { Context } from 'hono'
import { text } from '#src/auth/auth-context.ts'
import { AuthError, validation } from '#src/auth/errors.ts'

// The issuers GoTrue v2.189 pins per provider (auth:internal/api/provider/*.go).
const FIXED_ISSUERS: Record<string, string> = {
  google: 'https://accounts.google.com',
  facebook: 'https://www.facebook.com',
  kakao: 'https://kauth.kakao.com',
  vercel_marketplace: 'https://marketplace.vercel.com',
  snapchat: 'https://accounts.snapchat.com/accounts/oauth2/token',
}
const APPLE_ISSUERS = ['https://appleid.apple.com', 'https://account.apple.com']
const AZURE_ISSUER = /^https:\/\/login[.]microsoftonline[.]com\/([^/]+)\/v2[.]0\/?$/

/**
 * POST /token?grant_type=id_token (signInWithIdToken) as GoTrue answers it when no external
 * provider is enabled, which is how `supabase start` leaves them and all the local stack offers:
 * the provider is recognised as GoTrue's IdTokenGrant does (auth:internal/api/token_oidc.go), then
 * refused as disabled. The token is never verified, as GoTrue stops before fetching any JWKS.
 */
export function idTokenGrant(c: Context, input: Record<string, unknown>): Response {
  const idToken = text(input, 'id_token')
  const provider = text(input, 'provider')
  const issuer = text(input, 'issuer')
  // GoTrue's OAuthError: 400 with the OAuth fields, not its usual code/message body.
  const oauthError = (description: string) =>
    c.json({ error: 'invalid request', error_description: description }, 400, {
      'x-supabase-api-version': '2024-01-01',
    })
  if (idToken === '') return oauthError('id_token required')
  if (provider === '' && (text(input, 'client_id') === '' || issuer === '')) {
    return oauthError('provider or client_id and issuer required')
  }
  throw disabledProviderError(provider, issuer, idToken)
}

function disabledProviderError(provider: string, issuer: string, idToken: string): AuthError {
  const disabled = (name: string) =>
    new AuthError(400, 'provider_disabled', `Provider (issuer "${name}") is not enabled`)
  if (provider === 'apple' || APPLE_ISSUERS.includes(issuer)) {
    const detected = tokenIssuer(idToken)
    if (detected === undefined) {
      return validation('Unable to detect issuer in ID token for Apple provider')
    }
    if (!APPLE_ISSUERS.includes(detected)) {
      return validation('Detected ID token issuer is not an Apple ID token issuer')
    }
    if (issuer !== '' && issuer !== detected) {
      return validation('Provided issuer does not match ID token issuer')
    }
    return disabled(detected)
  }
  const fixed = Object.entries(FIXED_ISSUERS).find(
    ([name, iss]) => provider === name || issuer === iss,
  )
  if (fixed) return disabled(fixed[1])
  if (provider === 'azure' || AZURE_ISSUER.test(issuer)) {
    const detected = tokenIssuer(idToken)
    if (detected === undefined) {
      return validation('Unable to detect issuer in ID token for Azure provider')
    }
    if (
      !detected.startsWith('https://login.microsoftonline.com/') &&
      !detected.startsWith('https://sts.windows.net/')
    ) {
      return validation('Detected ID token issuer is not an Azure ID token issuer')
    }
    if (issuer !== '' && issuer !== detected) {
      return validation('Provided issuer does not match ID token issuer')
    }
    return disabled(detected)
  }
  // Keycloak's issuer is its configured URL, which the CLI leaves empty.
  if (provider === 'keycloak') return disabled('')
  if (provider.startsWith('custom:')) return validation('Custom OAuth providers are disabled')
  return validation(`Custom OIDC provider "${provider}" not allowed`)
}

/** The `iss` of a JWT read without verifying it, as GoTrue's Detect*IDTokenIssuer do. */
function tokenIssuer(idToken: string): string | undefined {
  const parts = idToken.split('.')
  if (parts.length !== 3) return undefined
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString())
    if (payload === null) return ''
    if (typeof payload !== 'object' || Array.isArray(payload)) return undefined
    const iss = (payload as { iss?: unknown }).iss
    return typeof iss === 'string' ? iss : ''
  } catch {
    return undefined
  }
}
