import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStack, latestMail, type TestStack } from '#src/testing/index.ts'

// GoTrue's PKCE flow for emailed links, through supabase-js with flowType 'pkce': the request
// stores a flow state, the link redirects with ?code=, /token?grant_type=pkce trades code and
// verifier for a session once.

let stack: TestStack
/** A stack where sign-ups need their emailed confirmation. */
let confirming: TestStack
const CALLBACK = 'http://127.0.0.1:5173/auth/callback'

beforeAll(async () => {
  ;[stack, confirming] = await Promise.all([
    createTestStack(),
    createTestStack({
      configure: (config) => ({
        ...config,
        auth: { ...config.auth, email: { ...config.auth.email, enable_confirmations: true } },
      }),
    }),
  ])
  // Sign-up is invite-only in the database; these tests are about Auth itself.
  for (const s of [stack, confirming]) {
    await s.db.query(
      `update platform.platform_settings set value = 'true' where key = 'allow_self_service_signup'`,
    )
  }
})
afterAll(() => Promise.all([stack?.close(), confirming?.close()]))

/** Storage that can be copied, to replay the same verifier from a second client. */
class MemoryStorage {
  readonly items = new Map<string, string>()
  getItem = (key: string) => this.items.get(key) ?? null
  setItem = (key: string, value: string) => void this.items.set(key, value)
  removeItem = (key: string) => void this.items.delete(key)
}

function pkceClient(s: TestStack, storage = new MemoryStorage()): SupabaseClient {
  return createClient(s.url, s.anonKey, {
    auth: {
      flowType: 'pkce',
      storage,
      persistSession: true,
      autoRefreshToken: false,
      detectSessionInUrl: false,
    },
  })
}

async function createUser(s: TestStack, email: string) {
  const { data, error } = await s
    .client(s.serviceRoleKey)
    .auth.admin.createUser({ email, password: 'password123', email_confirm: true })
  expect(error).toBeNull()
  return data.user?.id as string
}

/** Follows a mailed link like a browser would, without following the redirect. */
async function follow(link: string): Promise<URL> {
  const response = await fetch(link, { redirect: 'manual' })
  expect(response.status).toBe(303)
  return new URL(response.headers.get('location') as string)
}

async function exchangeRaw(s: TestStack, body: Record<string, string>) {
  const response = await fetch(`${s.url}/auth/v1/token?grant_type=pkce`, {
    method: 'POST',
    headers: {
      apikey: s.anonKey,
      'content-type': 'application/json',
      'x-supabase-api-version': '2024-01-01',
    },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: await response.json() }
}

describe('PKCE for emailed links', () => {
  it('recovery: the link redirects with ?code=, which exchanges once for a recovery session', async () => {
    const email = 'pkce-recovery@example.com'
    const userId = await createUser(stack, email)
    const storage = new MemoryStorage()
    const client = pkceClient(stack, storage)
    const { error } = await client.auth.resetPasswordForEmail(email, { redirectTo: CALLBACK })
    expect(error).toBeNull()
    const [state] = await stack.db.query(
      `select authentication_method, provider_type, code_challenge_method::text, user_id from auth.flow_state where user_id = $1`,
      [userId],
    )
    expect(state).toEqual({
      authentication_method: 'recovery',
      provider_type: 'recovery',
      code_challenge_method: 's256',
      user_id: userId,
    })

    const mail = await latestMail(stack.mailUrl, email, 'Reset Your Password')
    const link = mail.links[0] as string
    expect(new URL(link).searchParams.get('token')).toMatch(/^pkce_[0-9a-f]{56}$/)
    const landing = await follow(link)
    expect(`${landing.origin}${landing.pathname}`).toBe(CALLBACK)
    expect(landing.hash).toBe('')
    const code = landing.searchParams.get('code') as string
    expect(code).toMatch(/^[0-9a-f-]{36}$/)

    // A second browser holding the same verifier, to replay the code after it was used.
    const replay = pkceClient(
      stack,
      Object.assign(new MemoryStorage(), { items: new Map(storage.items) }),
    )
    const exchanged = await client.auth.exchangeCodeForSession(code)
    expect(exchanged.error).toBeNull()
    expect(exchanged.data.user?.id).toBe(userId)
    const claims = decodeJwt(exchanged.data.session?.access_token as string)
    expect((claims.amr as { method: string }[]).map((a) => a.method)).toEqual(['recovery'])
    expect((await client.auth.getUser()).data.user?.email).toBe(email)

    const again = await replay.auth.exchangeCodeForSession(code)
    expect(again.data.session).toBeNull()
    expect(again.error).toMatchObject({
      status: 404,
      code: 'flow_state_not_found',
      message: 'invalid flow state, no valid flow state found',
    })
  })

  it('refuses a wrong verifier with bad_code_verifier and leaves the code usable', async () => {
    const email = 'pkce-verifier@example.com'
    await createUser(stack, email)
    const client = pkceClient(stack)
    await client.auth.resetPasswordForEmail(email, { redirectTo: CALLBACK })
    const code = (
      await follow((await latestMail(stack.mailUrl, email)).links[0] as string)
    ).searchParams.get('code') as string

    const wrong = await exchangeRaw(stack, { auth_code: code, code_verifier: 'x'.repeat(43) })
    expect(wrong).toEqual({
      status: 400,
      body: {
        code: 'bad_code_verifier',
        message: 'code challenge does not match previously saved code verifier',
      },
    })
    expect((await client.auth.exchangeCodeForSession(code)).error).toBeNull()
  })

  it('exchanges a code once even when the callback runs concurrently', async () => {
    const email = 'pkce-race@example.com'
    await createUser(stack, email)
    const storage = new MemoryStorage()
    await pkceClient(stack, storage).auth.resetPasswordForEmail(email, { redirectTo: CALLBACK })
    const code = (
      await follow((await latestMail(stack.mailUrl, email)).links[0] as string)
    ).searchParams.get('code') as string
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        pkceClient(
          stack,
          Object.assign(new MemoryStorage(), { items: new Map(storage.items) }),
        ).auth.exchangeCodeForSession(code),
      ),
    )
    expect(results.filter((r) => r.error === null)).toHaveLength(1)
    expect(results.filter((r) => r.error?.code === 'flow_state_not_found')).toHaveLength(9)
  })

  it('refuses unknown codes, missing verifiers and expired flow states with GoTrue errors', async () => {
    expect(
      await exchangeRaw(stack, { auth_code: crypto.randomUUID(), code_verifier: 'v'.repeat(43) }),
    ).toEqual({
      status: 404,
      body: {
        code: 'flow_state_not_found',
        message: 'invalid flow state, no valid flow state found',
      },
    })
    expect(await exchangeRaw(stack, { auth_code: 'abc' })).toEqual({
      status: 400,
      body: {
        code: 'validation_failed',
        message: 'invalid request: both auth code and code verifier should be non-empty',
      },
    })

    const email = 'pkce-expired@example.com'
    const userId = await createUser(stack, email)
    const client = pkceClient(stack)
    await client.auth.resetPasswordForEmail(email, { redirectTo: CALLBACK })
    const code = (
      await follow((await latestMail(stack.mailUrl, email)).links[0] as string)
    ).searchParams.get('code') as string
    // Flow states live 5 minutes (GoTrue's flow_state_expiry_duration).
    await stack.db.query(
      `update auth.flow_state set created_at = now() - interval '301 seconds' where user_id = $1`,
      [userId],
    )
    const expired = await client.auth.exchangeCodeForSession(code)
    expect(expired.error).toMatchObject({
      status: 422,
      code: 'flow_state_expired',
      message: 'invalid flow state, flow state has expired',
    })
  })

  it('refuses a malformed code challenge before anything is stored or mailed', async () => {
    const response = await fetch(`${stack.url}/auth/v1/recover`, {
      method: 'POST',
      headers: {
        apikey: stack.anonKey,
        'content-type': 'application/json',
        'x-supabase-api-version': '2024-01-01',
      },
      body: JSON.stringify({
        email: 'pkce-recovery@example.com',
        code_challenge: 'short',
        code_challenge_method: 's256',
      }),
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      code: 'validation_failed',
      message: 'code challenge has to be between 43 and 128 characters',
    })
  })

  it('a link followed without a PKCE flow state redirects with the error in query and fragment', async () => {
    const email = 'pkce-no-state@example.com'
    const userId = await createUser(stack, email)
    await pkceClient(stack).auth.resetPasswordForEmail(email, { redirectTo: CALLBACK })
    await stack.db.query('delete from auth.flow_state where user_id = $1', [userId])
    const landing = await follow((await latestMail(stack.mailUrl, email)).links[0] as string)
    expect(landing.searchParams.get('error_code')).toBe('flow_state_not_found')
    expect(landing.searchParams.get('error_description')).toBe(
      'No associated flow state found. 422: No valid flow state found for user.',
    )
    expect(new URLSearchParams(landing.hash.slice(1)).get('error')).toBe('invalid_request')
  })

  it('sign-up confirmation: the confirmation link of a PKCE sign-up gives a code, not a session', async () => {
    const email = 'pkce-signup@example.com'
    const client = pkceClient(confirming)
    const signUp = await client.auth.signUp({
      email,
      password: 'password123',
      options: { emailRedirectTo: CALLBACK },
    })
    expect(signUp.error).toBeNull()
    expect(signUp.data.session).toBeNull()
    const mail = await latestMail(confirming.mailUrl, email, 'Confirm Your Email')
    const landing = await follow(mail.links[0] as string)
    expect(landing.hash).toBe('')
    const exchanged = await client.auth.exchangeCodeForSession(
      landing.searchParams.get('code') as string,
    )
    expect(exchanged.error).toBeNull()
    expect(exchanged.data.user?.email_confirmed_at).toBeTypeOf('string')
    const claims = decodeJwt(exchanged.data.session?.access_token as string)
    expect((claims.amr as { method: string }[])[0]?.method).toBe('email/signup')
  })

  it('implicit clients still get the session in the fragment', async () => {
    const email = 'implicit-recovery@example.com'
    await createUser(stack, email)
    await stack.client().auth.resetPasswordForEmail(email, { redirectTo: CALLBACK })
    const link = (await latestMail(stack.mailUrl, email)).links[0] as string
    expect(new URL(link).searchParams.get('token')).toMatch(/^[0-9a-f]{56}$/)
    const landing = await follow(link)
    expect(landing.search).toBe('')
    const fragment = new URLSearchParams(landing.hash.slice(1))
    expect(fragment.get('type')).toBe('recovery')
    expect(fragment.get('refresh_token')).toMatch(/^[a-z2-7]{12}$/)
  })
})
