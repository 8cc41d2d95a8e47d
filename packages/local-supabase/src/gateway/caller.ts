import type { Caller, GatewayContext } from '#src/gateway/context.ts'
import { JwtVerificationError } from '#src/gateway/jwt.ts'
import { ANON_KEY, PUBLISHABLE_KEY, SECRET_KEY, SERVICE_ROLE_KEY } from '#src/keys.ts'

/**
 * A refused token. `message`/`details` are PostgREST's words (PGRST301/PGRST303), `gotrueMessage`
 * GoTrue's (403 bad_jwt), `storageMessage` Storage's (the jose error it passes through).
 */
export class InvalidJwtError extends Error {
  readonly reason: 'missing' | 'invalid' | 'expired'
  readonly details: string | null
  readonly gotrueMessage: string
  readonly storageMessage: string
  constructor(
    reason: 'missing' | 'invalid' | 'expired',
    message: string,
    words: { details?: string | null; gotrue?: string; storage?: string } = {},
  ) {
    super(message)
    this.reason = reason
    this.details = words.details ?? null
    this.gotrueMessage =
      words.gotrue ?? `invalid JWT: unable to parse or verify signature, ${message}`
    this.storageMessage = words.storage ?? message
  }
}

const GOTRUE_PREFIX = 'invalid JWT: unable to parse or verify signature, '

/**
 * The words each real service uses for a refused token:
 * PostgREST (src/PostgREST/Error.hs JwtDecodeErr/JwtClaimsErr, jose-jwt's KeyError text),
 * GoTrue (internal/api/auth.go parseJWTClaims with golang-jwt v5 errors),
 * Storage (src/internal/auth/jwt.ts, jose's messages).
 */
export function describeJwtFailure(error: unknown): InvalidJwtError {
  const failure =
    error instanceof JwtVerificationError ? error : new JwtVerificationError('invalid')
  switch (failure.kind) {
    case 'malformed':
      return new InvalidJwtError('invalid', `Expected 3 parts in JWT; got ${failure.parts}`, {
        gotrue: `${GOTRUE_PREFIX}token is malformed: token contains an invalid number of segments`,
        storage: 'Invalid Compact JWS',
      })
    case 'unknown_key':
      return new InvalidJwtError('invalid', 'No suitable key or wrong key type', {
        details: 'No suitable key was found to decode the JWT',
        gotrue: `${GOTRUE_PREFIX}token is unverifiable: error while executing keyfunc: unrecognized JWT kid ${failure.kid ?? '<nil>'} for algorithm ${failure.alg ?? '<nil>'}`,
        storage: `Key for the ${failure.alg ?? 'ES256'} algorithm must be one of type CryptoKey, KeyObject, or JSON Web Key. Received an instance of Uint8Array`,
      })
    case 'bad_signature':
      return new InvalidJwtError('invalid', 'JWT cryptographic operation failed', {
        gotrue: `${GOTRUE_PREFIX}token signature is invalid: ${failure.alg === 'HS256' ? 'signature is invalid' : 'crypto/ecdsa: verification error'}`,
        storage: 'signature verification failed',
      })
    case 'expired':
      return new InvalidJwtError('expired', 'JWT expired', {
        gotrue: `${GOTRUE_PREFIX}token has invalid claims: token is expired`,
        storage: '"exp" claim timestamp check failed',
      })
    default:
      return new InvalidJwtError('invalid', 'JWT cryptographic operation failed', {
        gotrue: `${GOTRUE_PREFIX}token is malformed: could not JSON decode claim`,
        storage: failure.message,
      })
  }
}

/**
 * The bearer token of a request, as the CLI's Kong rewrites it: `sb_secret_`/`sb_publishable_`
 * become the service/anon JWTs; a missing Authorization falls back to the apikey. Kong does not
 * validate API keys locally, and neither does this.
 */
export function bearerToken(headers: Headers): string | undefined {
  const authorization = headers.get('authorization') ?? ''
  const bearer = /^bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim()
  const translate = (key: string | undefined) =>
    key === SECRET_KEY ? SERVICE_ROLE_KEY : key === PUBLISHABLE_KEY ? ANON_KEY : key
  if (bearer && !bearer.startsWith('sb_')) return bearer
  return translate(bearer) ?? translate(headers.get('apikey') ?? undefined)
}

/** Verifies the request's JWT and returns the role and claims PostgREST / Storage would use. */
export async function resolveCaller(ctx: GatewayContext, headers: Headers): Promise<Caller> {
  const token = bearerToken(headers)
  if (!token) throw new InvalidJwtError('missing', 'No API key found in request')
  let claims: Record<string, unknown>
  try {
    claims = (await ctx.signer.verify(token)) as Record<string, unknown>
  } catch (error) {
    throw describeJwtFailure(error)
  }
  const role = typeof claims.role === 'string' && claims.role ? claims.role : 'anon'
  return { role, claims, token }
}
