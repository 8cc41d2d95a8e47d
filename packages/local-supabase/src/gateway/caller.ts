import type { Caller, GatewayContext } from '#src/gateway/context.ts'
import { ANON_KEY, PUBLISHABLE_KEY, SECRET_KEY, SERVICE_ROLE_KEY } from '#src/keys.ts'

export class InvalidJwtError extends Error {
  readonly reason: 'missing' | 'invalid' | 'expired'
  constructor(reason: 'missing' | 'invalid' | 'expired', message: string) {
    super(message)
    this.reason = reason
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
    const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED'
    throw new InvalidJwtError(
      expired ? 'expired' : 'invalid',
      expired
        ? 'JWT expired'
        : 'JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 1)',
    )
  }
  const role = typeof claims.role === 'string' && claims.role ? claims.role : 'anon'
  return { role, claims, token }
}
