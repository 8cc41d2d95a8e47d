import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStack, latestMail, type TestStack } from '#src/testing/index.ts'

// GET /reauthenticate mails a code; with [auth.email] secure_password_change a session older than
// 24 hours needs that code (nonce) to change the password, as GoTrue does.

let stack: TestStack
beforeAll(async () => {
  stack = await createTestStack({
    configure: (config) => ({
      ...config,
      auth: { ...config.auth, email: { ...config.auth.email, secure_password_change: true } },
    }),
  })
  await stack.db.query(
    `update platform.platform_settings set value = 'true' where key = 'allow_self_service_signup'`,
  )
})
afterAll(() => stack.close())

async function signedIn(email: string) {
  await stack
    .client(stack.serviceRoleKey)
    .auth.admin.createUser({ email, password: 'password123', email_confirm: true })
  const client = stack.client()
  const { data } = await client.auth.signInWithPassword({ email, password: 'password123' })
  return { client, session: data.session as NonNullable<typeof data.session> }
}

const sessionIdOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).session_id

describe('reauthentication', () => {
  it('mails a code that lets an old session change the password, once', async () => {
    const email = 'reauth@example.com'
    const { client, session } = await signedIn(email)
    // A session from more than a day ago.
    await stack.db.query(
      `update auth.sessions set created_at = now() - interval '25 hours' where id = $1`,
      [sessionIdOf(session.access_token)],
    )
    expect((await client.auth.updateUser({ password: 'new-password-1' })).error).toMatchObject({
      status: 400,
      code: 'reauthentication_needed',
      message: 'Password update requires reauthentication',
    })

    const sent = await client.auth.reauthenticate()
    expect(sent.error).toBeNull()
    expect(sent.data).toEqual({ user: null, session: null })
    const mail = await latestMail(stack.mailUrl, email, 'Confirm reauthentication')
    const nonce = /Enter the code: (\d{6})/.exec(mail.text)?.[1] as string

    expect(
      (await client.auth.updateUser({ password: 'new-password-1', nonce: '000000' })).error,
    ).toMatchObject({
      status: 422,
      code: 'reauthentication_not_valid',
      message: 'Nonce has expired or is invalid',
    })
    expect((await client.auth.updateUser({ password: 'new-password-1', nonce })).error).toBeNull()
    expect(
      (await stack.client().auth.signInWithPassword({ email, password: 'new-password-1' })).error,
    ).toBeNull()
    // The code was spent.
    expect(
      (await client.auth.updateUser({ password: 'new-password-2', nonce })).error,
    ).toMatchObject({ code: 'reauthentication_not_valid' })
  })

  it('lets a recent session change the password without a code; other sessions end', async () => {
    const email = 'recent@example.com'
    const { client } = await signedIn(email)
    const other = await signedIn2(email)
    expect((await client.auth.updateUser({ password: 'changed-password' })).error).toBeNull()
    expect((await stack.client().auth.getUser(other.access_token)).error?.name).toBe(
      'AuthSessionMissingError',
    )
    expect((await client.auth.getUser()).error).toBeNull()
    expect((await client.auth.updateUser({ password: 'changed-password' })).error).toMatchObject({
      status: 422,
      code: 'same_password',
    })
  })

  it('requires a signed-in user', async () => {
    const response = await fetch(`${stack.url}/auth/v1/reauthenticate`, {
      headers: { 'x-supabase-api-version': '2024-01-01' },
    })
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({
      code: 'no_authorization',
      message: 'This endpoint requires a valid Bearer token',
    })
  })
})

async function signedIn2(email: string) {
  const { data } = await stack.client().auth.signInWithPassword({ email, password: 'password123' })
  return data.session as NonNullable<typeof data.session>
}
