import { createClient } from '@supabase/supabase-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StackConfig } from '#src/gateway/config.ts'
import { createTestStack, latestMail, mailsTo, type TestStack } from '#src/testing/index.ts'

// updateUser({ email }) as GoTrue does it: the address stays until the mailed link(s) are
// followed; with double_confirm_changes both the new and the old address get a link.

const withEmail =
  (email: Partial<StackConfig['auth']['email']>) =>
  (config: StackConfig): StackConfig => ({
    ...config,
    auth: { ...config.auth, email: { ...config.auth.email, ...email } },
  })

/** supabase/config.toml: confirmations off (autoconfirm), double_confirm_changes on. */
let stack: TestStack
/** Confirmations on: an email change needs both links. */
let confirming: TestStack
/** Confirmations on, double_confirm_changes off: only the new address is asked. */
let single: TestStack

beforeAll(async () => {
  ;[stack, confirming, single] = await Promise.all([
    createTestStack(),
    createTestStack({ configure: withEmail({ enable_confirmations: true }) }),
    createTestStack({
      configure: withEmail({ enable_confirmations: true, double_confirm_changes: false }),
    }),
  ])
  for (const s of [stack, confirming, single]) {
    // Self-service sign-up writes users_meta, the copy of the email this is about.
    await s.db.query(
      `update platform.platform_settings set value = 'true' where key = 'allow_self_service_signup'`,
    )
  }
})
afterAll(() => Promise.all([stack?.close(), confirming?.close(), single?.close()]))

async function signedIn(s: TestStack, email: string, flowType: 'implicit' | 'pkce' = 'implicit') {
  const created = await s
    .client(s.serviceRoleKey)
    .auth.admin.createUser({ email, password: 'password123', email_confirm: true })
  expect(created.error).toBeNull()
  const client = createClient(s.url, s.anonKey, {
    auth: { flowType, persistSession: true, autoRefreshToken: false, detectSessionInUrl: false },
  })
  expect(
    (await client.auth.signInWithPassword({ email, password: 'password123' })).error,
  ).toBeNull()
  return { client, id: created.data.user?.id as string }
}

const addresses = async (s: TestStack, id: string) =>
  (
    await s.db.query(
      `select u.email, u.email_change, u.email_change_confirm_status, m.email as meta_email
       from auth.users u left join core.users_meta m on m.user_id = u.id where u.id = $1`,
      [id],
    )
  )[0]

async function follow(link: string): Promise<URL> {
  const response = await fetch(link, { redirect: 'manual' })
  expect(response.status).toBe(303)
  return new URL(response.headers.get('location') as string)
}

describe('email change', () => {
  it('keeps the address until confirmed and mails both addresses (double_confirm_changes)', async () => {
    const { client, id } = await signedIn(stack, 'old-1@example.com')
    const { data, error } = await client.auth.updateUser({ email: 'New-1@example.com' })
    expect(error).toBeNull()
    expect(data.user).toMatchObject({ email: 'old-1@example.com', new_email: 'new-1@example.com' })
    expect(data.user?.email_change_sent_at).toBeTypeOf('string')
    expect(await addresses(stack, id)).toEqual({
      email: 'old-1@example.com',
      email_change: 'new-1@example.com',
      email_change_confirm_status: 0,
      meta_email: 'old-1@example.com',
    })
    const toNew = await latestMail(stack.mailUrl, 'new-1@example.com', 'Confirm Email Change')
    const toOld = await latestMail(stack.mailUrl, 'old-1@example.com', 'Confirm Email Change')
    expect(toNew.text).toContain(
      'confirm the update of your email address from old-1@example.com to new-1@example.com',
    )
    expect(toOld.links[0]).not.toBe(toNew.links[0])
    // The old address still signs in; the new one does not yet.
    const other = stack.client()
    expect(
      (await other.auth.signInWithPassword({ email: 'new-1@example.com', password: 'password123' }))
        .error,
    ).toMatchObject({ code: 'invalid_credentials' })

    // With autoconfirm on (the CLI's default here), GoTrue applies the change on the first link.
    const landing = await follow(toNew.links[0] as string)
    expect(new URLSearchParams(landing.hash.slice(1)).get('type')).toBe('email_change')
    expect(await addresses(stack, id)).toEqual({
      email: 'new-1@example.com',
      email_change: '',
      email_change_confirm_status: 0,
      meta_email: 'new-1@example.com',
    })
    expect(
      (await other.auth.signInWithPassword({ email: 'new-1@example.com', password: 'password123' }))
        .error,
    ).toBeNull()
    // The other link is spent with the change.
    const stale = new URLSearchParams((await follow(toOld.links[0] as string)).hash.slice(1))
    expect(stale.get('error_code')).toBe('otp_expired')
  })

  it('needs both links when confirmations are on; the first one only records it', async () => {
    const { client, id } = await signedIn(confirming, 'old-2@example.com')
    expect((await client.auth.updateUser({ email: 'new-2@example.com' })).error).toBeNull()
    const toNew = await latestMail(confirming.mailUrl, 'new-2@example.com', 'Confirm Email Change')
    const toOld = await latestMail(confirming.mailUrl, 'old-2@example.com', 'Confirm Email Change')

    const first = await follow(toNew.links[0] as string)
    expect(new URLSearchParams(first.hash.slice(1)).get('message')).toBe(
      'Confirmation link accepted. Please proceed to confirm link sent to the other email',
    )
    expect(await addresses(confirming, id)).toEqual({
      email: 'old-2@example.com',
      email_change: 'new-2@example.com',
      email_change_confirm_status: 1,
      meta_email: 'old-2@example.com',
    })
    // The same link again is spent, and still changes nothing.
    const again = await follow(toNew.links[0] as string)
    expect(new URLSearchParams(again.hash.slice(1)).get('error_code')).toBe('otp_expired')
    expect((await addresses(confirming, id))?.email).toBe('old-2@example.com')

    const second = await follow(toOld.links[0] as string)
    expect(new URLSearchParams(second.hash.slice(1)).get('access_token')).toBeTypeOf('string')
    expect(await addresses(confirming, id)).toEqual({
      email: 'new-2@example.com',
      email_change: '',
      email_change_confirm_status: 0,
      meta_email: 'new-2@example.com',
    })
  })

  it('asks only the new address when double_confirm_changes is off', async () => {
    const { client, id } = await signedIn(single, 'old-3@example.com')
    expect((await client.auth.updateUser({ email: 'new-3@example.com' })).error).toBeNull()
    expect(await mailsTo(single.mailUrl, 'old-3@example.com')).toEqual([])
    const toNew = await latestMail(single.mailUrl, 'new-3@example.com', 'Confirm Email Change')
    expect((await addresses(single, id))?.email).toBe('old-3@example.com')
    await follow(toNew.links[0] as string)
    expect((await addresses(single, id))?.email).toBe('new-3@example.com')
  })

  it('confirms an email change through PKCE: the link gives a code for an email_change session', async () => {
    const { client, id } = await signedIn(stack, 'old-4@example.com', 'pkce')
    const updated = await client.auth.updateUser(
      { email: 'new-4@example.com' },
      { emailRedirectTo: 'http://127.0.0.1:5173/auth/callback' },
    )
    expect(updated.error).toBeNull()
    const link = (await latestMail(stack.mailUrl, 'new-4@example.com')).links[0] as string
    expect(new URL(link).searchParams.get('token')).toMatch(/^pkce_/)
    const landing = await follow(link)
    const exchanged = await client.auth.exchangeCodeForSession(
      landing.searchParams.get('code') as string,
    )
    expect(exchanged.error).toBeNull()
    expect(exchanged.data.user?.email).toBe('new-4@example.com')
    expect((await addresses(stack, id))?.email).toBe('new-4@example.com')
  })

  it('refuses an address another account uses, and malformed addresses', async () => {
    await signedIn(stack, 'taken@example.com')
    const { client } = await signedIn(stack, 'old-5@example.com')
    expect((await client.auth.updateUser({ email: 'taken@example.com' })).error).toMatchObject({
      status: 422,
      code: 'email_exists',
      message: 'A user with this email address has already been registered',
    })
    expect((await client.auth.updateUser({ email: 'not an email' })).error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'Unable to validate email address: invalid format',
    })
  })
})
