import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { generateKeyPair, SignJWT } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { describeJwtFailure } from '#src/gateway/caller.ts'
import { createSigner, JwtVerificationError } from '#src/gateway/jwt.ts'
import { ANON_KEY, JWT_SECRET } from '#src/keys.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tenantbase-keys-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const failureOf = async (promise: Promise<unknown>) => {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a failure')
}

describe('the signing key', () => {
  it('is kept in its file (mode 0600) and used again by the next signer', async () => {
    const keyFile = path.join(dir, 'signing-key.json')
    const first = await createSigner({ keyFile })
    const token = await first.signAccessToken({ sub: 'u1', role: 'authenticated', exp: 4102444800 })
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600)
    const again = await createSigner({ keyFile })
    expect(await again.verify(token)).toMatchObject({ sub: 'u1' })
    expect(again.jwks).toEqual(first.jwks)
    expect(JSON.stringify(again.jwks)).not.toContain('"d"')
  })

  it('is new for a signer without a file, which refuses the other key with unknown_key', async () => {
    const kept = await createSigner({ keyFile: path.join(dir, 'signing-key.json') })
    const token = await kept.signAccessToken({ sub: 'u1', role: 'authenticated' })
    const fresh = await createSigner()
    const error = await failureOf(fresh.verify(token))
    expect(error).toBeInstanceOf(JwtVerificationError)
    expect(error).toMatchObject({ kind: 'unknown_key', alg: 'ES256', kid: kept.jwks.keys[0]?.kid })
  })

  it('refuses a file that holds no key, saying what to do', async () => {
    const keyFile = path.join(dir, 'broken.json')
    await writeFile(keyFile, '{"kid": 1}')
    await expect(createSigner({ keyFile })).rejects.toThrow(
      `${keyFile} holds no signing key: delete it to make a new one`,
    )
    expect(await readFile(keyFile, 'utf8')).toBe('{"kid": 1}')
  })

  it('still verifies the well-known API keys', async () => {
    expect(await (await createSigner()).verify(ANON_KEY)).toMatchObject({ role: 'anon' })
  })
})

describe("refused tokens in each service's words", () => {
  it('names a token of another key like PostgREST, GoTrue and Storage', async () => {
    const { privateKey } = await generateKeyPair('ES256')
    const token = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'ES256', kid: 'old-key' })
      .sign(privateKey)
    const words = describeJwtFailure(await failureOf((await createSigner()).verify(token)))
    expect(words).toMatchObject({
      reason: 'invalid',
      message: 'No suitable key or wrong key type',
      details: 'No suitable key was found to decode the JWT',
      gotrueMessage:
        'invalid JWT: unable to parse or verify signature, token is unverifiable: error while executing keyfunc: unrecognized JWT kid old-key for algorithm ES256',
      storageMessage:
        'Key for the ES256 algorithm must be one of type CryptoKey, KeyObject, or JSON Web Key. Received an instance of Uint8Array',
    })
  })

  it('names a token that is not a JWT, a forged signature and an expired token', async () => {
    const signer = await createSigner()
    const malformed = describeJwtFailure(await failureOf(signer.verify('not-a-jwt')))
    expect(malformed).toMatchObject({
      message: 'Expected 3 parts in JWT; got 1',
      gotrueMessage:
        'invalid JWT: unable to parse or verify signature, token is malformed: token contains an invalid number of segments',
      storageMessage: 'Invalid Compact JWS',
    })
    const [header, payload] = ANON_KEY.split('.')
    const forged = describeJwtFailure(await failureOf(signer.verify(`${header}.${payload}.AAAA`)))
    expect(forged).toMatchObject({
      message: 'JWT cryptographic operation failed',
      gotrueMessage:
        'invalid JWT: unable to parse or verify signature, token signature is invalid: signature is invalid',
      storageMessage: 'signature verification failed',
    })
    const old = await signer.signAccessToken({ sub: 'x', exp: 1_000_000 })
    const expired = describeJwtFailure(await failureOf(signer.verify(old)))
    expect(expired).toMatchObject({
      reason: 'expired',
      message: 'JWT expired',
      gotrueMessage:
        'invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired',
      storageMessage: '"exp" claim timestamp check failed',
    })
  })
})

describe('tokens verified before', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it("are refused as expired once their exp has passed, in every service's words", async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
    const signer = await createSigner()
    const exp = Math.floor(Date.now() / 1000) + 60
    const user = await signer.signAccessToken({ sub: 'u1', role: 'authenticated', exp })
    const key = await new SignJWT({ role: 'anon', exp })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(JWT_SECRET))
    for (const token of [user, key]) {
      const first = await signer.verify(token)
      expect(await signer.verify(token)).toEqual(first)
    }
    vi.setSystemTime(new Date('2030-01-01T00:00:59Z'))
    expect(await signer.verify(user)).toMatchObject({ sub: 'u1' })
    // exp is the first second at which the token is refused (jose's rule, no clock tolerance).
    vi.setSystemTime(new Date('2030-01-01T00:01:00Z'))
    for (const token of [user, key]) {
      const error = await failureOf(signer.verify(token))
      expect(error).toBeInstanceOf(JwtVerificationError)
      expect(describeJwtFailure(error)).toMatchObject({ reason: 'expired', message: 'JWT expired' })
    }
  })

  it('are refused before their nbf, and accepted from it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
    const signer = await createSigner()
    const now = Math.floor(Date.now() / 1000)
    const token = await signer.signAccessToken({ sub: 'u2', nbf: now, exp: now + 60 })
    await signer.verify(token)
    vi.setSystemTime(new Date('2029-12-31T23:59:59Z'))
    expect(await failureOf(signer.verify(token))).toMatchObject({ kind: 'invalid' })
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
    expect(await signer.verify(token)).toMatchObject({ sub: 'u2' })
  })

  it('share claims no caller can change for the next request', async () => {
    const signer = await createSigner()
    const token = await signer.signAccessToken({ sub: 'u3', app_metadata: { provider: 'email' } })
    const claims = (await signer.verify(token)) as { sub: string; app_metadata: object }
    expect(() => {
      claims.sub = 'someone-else'
    }).toThrow(TypeError)
    expect(() => Object.assign(claims.app_metadata, { admin: true })).toThrow(TypeError)
    expect(await signer.verify(token)).toMatchObject({
      sub: 'u3',
      app_metadata: { provider: 'email' },
    })
  })

  it('still refuse a forged signature of a token seen before', async () => {
    const signer = await createSigner()
    expect(await signer.verify(ANON_KEY)).toMatchObject({ role: 'anon' })
    const [header, payload] = ANON_KEY.split('.')
    expect(await failureOf(signer.verify(`${header}.${payload}.AAAA`))).toMatchObject({
      kind: 'bad_signature',
    })
  })
})
