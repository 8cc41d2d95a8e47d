import { randomUUID } from 'node:crypto'
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose'
import { createVerifiedTokens } from '#src/gateway/verified-tokens.ts'
import { JWT_SECRET } from '#src/keys.ts'

export type Signer = {
  /** Signs a user access token (ES256 with the stack's key, as `supabase start` does). */
  signAccessToken(claims: JWTPayload): Promise<string>
  /** Verifies an API key (HS256, the shared secret) or a user token (ES256); throws JwtVerificationError. */
  verify(token: string): Promise<JWTPayload>
  /** The public keys for /auth/v1/.well-known/jwks.json. */
  jwks: { keys: JWK[] }
}

/** Why a token was refused; each service words it its own way (see gateway/caller.ts). */
export class JwtVerificationError extends Error {
  readonly kind: 'malformed' | 'unknown_key' | 'bad_signature' | 'expired' | 'invalid'
  /** For malformed tokens: how many dot-separated parts it had. */
  readonly parts: number
  readonly kid: string | undefined
  readonly alg: string | undefined
  constructor(
    kind: JwtVerificationError['kind'],
    info: { parts?: number; kid?: string; alg?: string; message?: string } = {},
  ) {
    super(info.message ?? kind)
    this.name = 'JwtVerificationError'
    this.kind = kind
    this.parts = info.parts ?? 3
    this.kid = info.kid
    this.alg = info.alg
  }
}

type StoredKey = { kid: string; privateJwk: JWK }

/**
 * The stack's signing key. With keyFile it is read from there, or created and written there
 * (mode 0600) on first use, so tokens survive restarts as a Supabase project's keys do; without
 * it (throwaway test stacks) a fresh key is made for this process.
 */
export async function createSigner(options: { keyFile?: string } = {}): Promise<Signer> {
  const stored = options.keyFile ? await readKey(options.keyFile) : undefined
  const { kid, privateJwk } = stored ?? (await newKey())
  if (options.keyFile && !stored) await writeKey(options.keyFile, { kid, privateJwk })
  const privateKey = await importJWK(privateJwk, 'ES256')
  const { d: _private, ...publicFields } = privateJwk
  const publicKey = await importJWK({ ...publicFields, key_ops: ['verify'] }, 'ES256')
  const publicJwk = { ...publicFields, kid, alg: 'ES256', use: 'sig', key_ops: ['verify'] }
  // Imported once: given the raw bytes, jose would import them again on every verification.
  const secret = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(JWT_SECRET),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  )
  const verified = createVerifiedTokens()
  return {
    jwks: { keys: [publicJwk] },
    signAccessToken: (claims) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).sign(privateKey),
    verify: async (token) => {
      const known = verified.get(token)
      if (known) return known
      const parts = token.split('.').length
      if (parts !== 3) throw new JwtVerificationError('malformed', { parts })
      let header: ReturnType<typeof decodeProtectedHeader>
      try {
        header = decodeProtectedHeader(token)
      } catch {
        throw new JwtVerificationError('malformed')
      }
      const alg = header.alg
      const tokenKid = typeof header.kid === 'string' ? header.kid : undefined
      let key: typeof secret | Awaited<ReturnType<typeof importJWK>>
      if (alg === 'HS256') key = secret
      else if (alg === 'ES256' && tokenKid === kid) key = publicKey
      else throw new JwtVerificationError('unknown_key', { kid: tokenKid, alg })
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: [alg] })
        verified.remember(token, payload)
        return payload
      } catch (error) {
        const code = (error as { code?: string }).code
        if (code === 'ERR_JWT_EXPIRED') throw new JwtVerificationError('expired', { alg })
        if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') {
          throw new JwtVerificationError('bad_signature', { alg })
        }
        throw new JwtVerificationError('invalid', { alg, message: (error as Error).message })
      }
    },
  }
}

async function newKey(): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true })
  return { kid: randomUUID(), privateJwk: await exportJWK(privateKey) }
}

async function readKey(file: string): Promise<StoredKey | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined)
  if (!text) return undefined
  const parsed = JSON.parse(text) as Partial<StoredKey>
  if (typeof parsed.kid !== 'string' || !parsed.privateJwk?.d) {
    throw new Error(`${file} holds no signing key: delete it to make a new one`)
  }
  return parsed as StoredKey
}

async function writeKey(file: string, key: StoredKey): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  // Written whole, then renamed: a stack killed mid-write never leaves half a key behind.
  const temp = `${file}.${process.pid}.tmp`
  await writeFile(temp, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 })
  await chmod(temp, 0o600)
  await rename(temp, file)
}
