import { createClient } from '@supabase/supabase-js'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStack, latestMail, mailsTo, type TestStack } from '#src/testing/index.ts'

// signInWithOtp (POST /otp: magic link + code) and resend (POST /resend), as GoTrue answers them.

let stack: TestStack
/** Sign-ups need their emailed confirmation here. */
let confirming: TestStack

const selfService = (s: TestStack, on: boolean) =>
  s.db.query(
    `update platform.platform_settings set value = $1::jsonb where key = 'allow_self_service_signup'`,
    [JSON.stringify(on)],
  )

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
  await Promise.all([selfService(stack, true), selfService(confirming, true)])
})
afterAll(() => Promise.all([stack?.close(), confirming?.close()]))

const createUser = (s: TestStack, email: string, confirmed = true) =>
  s
    .client(s.serviceRoleKey)
    .auth.admin.createUser({ email, password: 'password123', email_confirm: confirmed })

const userCount = async (s: TestStack, email: string) =>
  Number((await s.db.query('select count(*) as n from auth.users where email = $1', [email]))[0]?.n)

async function follow(link: string): Promise<URL> {
  const response = await fetch(link, { redirect: 'manual' })
  expect(response.status).toBe(303)
  return new URL(response.headers.get('location') as string)
}

describe('signInWithOtp (email)', () => {
  it('mails a magic link and a code; the code verifies into an otp session', async () => {
    const email = 'otp-code@example.com'
    await createUser(stack, email)
    const sent = await stack.client().auth.signInWithOtp({ email })
    expect(sent).toEqual({ data: { user: null, session: null, messageId: undefined }, error: null })
    const mail = await latestMail(stack.mailUrl, email, 'Your Magic Link')
    const code = /enter the code: (\d{6})/.exec(mail.text)?.[1] as string
    expect(code).toMatch(/^\d{6}$/)

    const verified = await stack.client().auth.verifyOtp({ email, token: code, type: 'email' })
    expect(verified.error).toBeNull()
    expect(verified.data.user?.email).toBe(email)
    const amr = decodeJwt(verified.data.session?.access_token as string).amr as { method: string }[]
    expect(amr.map((a) => a.method)).toEqual(['otp'])
    // Used once.
    const again = await stack.client().auth.verifyOtp({ email, token: code, type: 'email' })
    expect(again.error).toMatchObject({
      status: 403,
      code: 'otp_expired',
      message: 'Token has expired or is invalid',
    })
  })

  it('the magic link signs in: a session in the fragment, or a code for PKCE clients', async () => {
    const email = 'otp-link@example.com'
    await createUser(stack, email)
    await stack.client().auth.signInWithOtp({ email })
    const implicit = await follow((await latestMail(stack.mailUrl, email)).links[0] as string)
    expect(new URLSearchParams(implicit.hash.slice(1)).get('type')).toBe('magiclink')

    // A second request within [auth.email] max_frequency (1s) is refused like GoTrue does.
    const soon = await stack.client().auth.signInWithOtp({ email })
    expect(soon.error).toMatchObject({ status: 429, code: 'over_email_send_rate_limit' })
    await stack.db.query(
      `update auth.users set recovery_sent_at = now() - interval '2 seconds' where email = $1`,
      [email],
    )
    const pkce = createClient(stack.url, stack.anonKey, {
      auth: { flowType: 'pkce', persistSession: true, autoRefreshToken: false },
    })
    expect(
      (
        await pkce.auth.signInWithOtp({
          email,
          options: { emailRedirectTo: 'http://127.0.0.1:5173/auth/callback' },
        })
      ).error,
    ).toBeNull()
    const landing = await follow((await latestMail(stack.mailUrl, email)).links[0] as string)
    const exchanged = await pkce.auth.exchangeCodeForSession(
      landing.searchParams.get('code') as string,
    )
    expect(exchanged.error).toBeNull()
    const amr = decodeJwt(exchanged.data.session?.access_token as string).amr as {
      method: string
    }[]
    expect(amr.map((a) => a.method)).toEqual(['magiclink'])
  })

  it('lets only one of concurrent verifications of a token through', async () => {
    const email = 'otp-race@example.com'
    await createUser(stack, email)
    const { data } = await stack
      .client(stack.serviceRoleKey)
      .auth.admin.generateLink({ type: 'magiclink', email })
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        stack.client().auth.verifyOtp({
          type: 'magiclink',
          token_hash: data.properties?.hashed_token as string,
        }),
      ),
    )
    expect(results.filter((r) => r.error === null)).toHaveLength(1)
    expect(results.filter((r) => r.error?.code === 'otp_expired')).toHaveLength(9)
  })

  it('honours create_user: false for unknown addresses', async () => {
    const email = 'otp-nobody@example.com'
    const { error } = await stack
      .client()
      .auth.signInWithOtp({ email, options: { shouldCreateUser: false } })
    expect(error).toMatchObject({
      status: 422,
      code: 'otp_disabled',
      message: 'Signups not allowed for otp',
    })
    expect(await userCount(stack, email)).toBe(0)
    expect(await mailsTo(stack.mailUrl, email)).toEqual([])
  })

  it('creates a user only as sign-up would: refused without an invitation, like /signup', async () => {
    const email = 'otp-uninvited@example.com'
    await selfService(stack, false)
    try {
      const { error } = await stack.client().auth.signInWithOtp({ email })
      expect(error?.status).toBe(500)
      expect(error?.message).toBe('Database error saving new user')
      expect(await userCount(stack, email)).toBe(0)
      expect(await mailsTo(stack.mailUrl, email)).toEqual([])
    } finally {
      await selfService(stack, true)
    }
    // Where the database admits the sign-up, the new user gets a magic link.
    expect((await stack.client().auth.signInWithOtp({ email })).error).toBeNull()
    expect(await userCount(stack, email)).toBe(1)
    expect(await mailsTo(stack.mailUrl, email)).toEqual(['Your Magic Link'])
  })

  it('refuses malformed addresses with GoTrue validation errors', async () => {
    expect((await stack.client().auth.signInWithOtp({ email: 'no at sign' })).error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'Unable to validate email address: invalid format',
    })
  })
})

describe('resend', () => {
  it('mails the sign-up confirmation again; confirmed and unknown addresses get nothing', async () => {
    const email = 'resend-signup@example.com'
    const signUp = await confirming.client().auth.signUp({ email, password: 'password123' })
    expect(signUp.error).toBeNull()
    await confirming.db.query(
      `update auth.users set confirmation_sent_at = now() - interval '2 seconds' where email = $1`,
      [email],
    )
    const resent = await confirming.client().auth.resend({ type: 'signup', email })
    expect(resent.error).toBeNull()
    expect(await mailsTo(confirming.mailUrl, email)).toEqual([
      'Confirm Your Email',
      'Confirm Your Email',
    ])
    // The newest link confirms; the first one was replaced.
    const link = (await latestMail(confirming.mailUrl, email)).links[0] as string
    expect(new URLSearchParams((await follow(link)).hash.slice(1)).get('type')).toBe('signup')

    await createUser(confirming, 'resend-confirmed@example.com')
    expect(
      (
        await confirming
          .client()
          .auth.resend({ type: 'signup', email: 'resend-confirmed@example.com' })
      ).error,
    ).toBeNull()
    expect(await mailsTo(confirming.mailUrl, 'resend-confirmed@example.com')).toEqual([])
    expect(
      (
        await confirming
          .client()
          .auth.resend({ type: 'signup', email: 'resend-nobody@example.com' })
      ).error,
    ).toBeNull()
  })

  it('mails a pending email change again, to both addresses', async () => {
    const email = 'resend-change@example.com'
    await createUser(confirming, email)
    const client = confirming.client()
    await client.auth.signInWithPassword({ email, password: 'password123' })
    expect((await client.auth.updateUser({ email: 'resend-changed@example.com' })).error).toBeNull()
    await confirming.db.query(
      `update auth.users set email_change_sent_at = now() - interval '2 seconds' where email = $1`,
      [email],
    )
    expect((await client.auth.resend({ type: 'email_change', email })).error).toBeNull()
    expect(await mailsTo(confirming.mailUrl, 'resend-changed@example.com')).toEqual([
      'Confirm Email Change',
      'Confirm Email Change',
    ])
    expect(await mailsTo(confirming.mailUrl, email)).toEqual([
      'Confirm Email Change',
      'Confirm Email Change',
    ])
  })

  it('refuses unknown types with GoTrue message', async () => {
    const response = await fetch(`${stack.url}/auth/v1/resend`, {
      method: 'POST',
      headers: {
        apikey: stack.anonKey,
        'content-type': 'application/json',
        'x-supabase-api-version': '2024-01-01',
      },
      body: JSON.stringify({ type: 'recovery', email: 'x@example.com' }),
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      code: 'validation_failed',
      message: 'Missing one of these types: signup, email_change, sms, phone_change',
    })
  })
})
