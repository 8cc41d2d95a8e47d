import { randomUUID } from 'node:crypto'
import {
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose'
import { JWT_SECRET } from '#src/keys.ts'

export type Signer = {
  /** Signs a user access token (ES256 with the stack's key, as `supabase start` does). */
  signAccessToken(claims: JWTPayload): Promise<string>
  /** Verifies an API key (HS256, the shared secret) or a user token (ES256); throws when invalid. */
  verify(token: string): Promise<JWTPayload>
  /** The public keys for /auth/v1/.well-known/jwks.json. */
  jwks: { keys: JWK[] }
}

const secret = new TextEncoder().encode(JWT_SECRET)

/** A signing key for this stack run: tokens do not survive a restart, like the CLI's v2.71.1. */
export async function createSigner(): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const kid = randomUUID()
  const publicJwk = {
    ...(await exportJWK(publicKey)),
    kid,
    alg: 'ES256',
    use: 'sig',
    key_ops: ['verify'],
  }
  return {
    jwks: { keys: [publicJwk] },
    signAccessToken: (claims) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).sign(privateKey),
    verify: async (token) => {
      const header = decodeProtectedHeader(token)
      if (header.alg === 'HS256')
        return (await jwtVerify(token, secret, { algorithms: ['HS256'] })).payload
      if (header.alg === 'ES256' && header.kid === kid) {
        return (await jwtVerify(token, publicKey, { algorithms: ['ES256'] })).payload
      }
      throw new Error('unknown signing key')
    },
  }
}
