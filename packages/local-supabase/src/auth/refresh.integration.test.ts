import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStack, type TestStack } from '#src/testing/index.ts'

// Refresh token rotation as GoTrue does it: one live chain per session; reuse outside
// refresh_token_reuse_interval (10 s in supabase/config.toml) ends the session for good.

let stack: TestStack
beforeAll(async () => {
  stack = await createTestStack()
  await stack.db.query(
    `update platform.platform_settings set value = 'true' where key = 'allow_self_service_signup'`,
  )
})
afterAll(() => stack.close())

async function signIn(email: string) {
  await stack
    .client(stack.serviceRoleKey)
    .auth.admin.createUser({ email, password: 'password123', email_confirm: true })
  const { data, error } = await stack
    .client()
    .auth.signInWithPassword({ email, password: 'password123' })
  expect(error).toBeNull()
  return data.session as NonNullable<typeof data.session>
}

const refresh = (refreshToken: string) =>
  stack.client().auth.refreshSession({ refresh_token: refreshToken })

const liveTokens = async (sessionId: string) =>
  (
    await stack.db.query<{ token: string }>(
      'select token from auth.refresh_tokens where session_id = $1 and not revoked',
      [sessionId],
    )
  ).map((r) => r.token)

const sessionIdOf = (accessToken: string) =>
  JSON.parse(Buffer.from(accessToken.split('.')[1] as string, 'base64url').toString())
    .session_id as string

describe('refresh token rotation', () => {
  it('gives a refresh of the parent of the live token that same live token (no second chain)', async () => {
    const session = await signIn('rotate@example.com')
    const first = await refresh(session.refresh_token)
    expect(first.error).toBeNull()
    const child = first.data.session?.refresh_token as string
    expect(child).not.toBe(session.refresh_token)
    const repeat = await refresh(session.refresh_token)
    expect(repeat.error).toBeNull()
    expect(repeat.data.session?.refresh_token).toBe(child)
    expect(await liveTokens(sessionIdOf(session.access_token))).toEqual([child])
  })

  it('hands 50 concurrent refreshes of one token the same child: one live chain', async () => {
    const session = await signIn('concurrent@example.com')
    const results = await Promise.all(
      Array.from({ length: 50 }, () => refresh(session.refresh_token)),
    )
    expect(results.map((r) => r.error)).toEqual(Array(50).fill(null))
    const children = new Set(results.map((r) => r.data.session?.refresh_token))
    expect(children.size).toBe(1)
    expect(await liveTokens(sessionIdOf(session.access_token))).toEqual([...children])
    // The chain goes on from that child.
    expect((await refresh([...children][0] as string)).error).toBeNull()
  })

  it('ends the whole session on reuse outside the interval, durably; the newest token fails too', async () => {
    const session = await signIn('stolen@example.com')
    const sessionId = sessionIdOf(session.access_token)
    const second = await refresh(session.refresh_token)
    const newest = await refresh(second.data.session?.refresh_token as string)
    expect(newest.error).toBeNull()
    // The first token was rotated more than refresh_token_reuse_interval ago.
    await stack.db.query(
      `update auth.refresh_tokens set updated_at = now() - interval '11 seconds' where token = $1`,
      [session.refresh_token],
    )
    const reuse = await refresh(session.refresh_token)
    expect(reuse.data.session).toBeNull()
    expect(reuse.error).toMatchObject({
      status: 400,
      code: 'refresh_token_already_used',
      message: 'Invalid Refresh Token: Already Used',
    })
    // Committed although the request failed: the session and its tokens are gone.
    expect(await stack.db.query('select 1 from auth.sessions where id = $1', [sessionId])).toEqual(
      [],
    )
    const afterwards = await refresh(newest.data.session?.refresh_token as string)
    expect(afterwards.error).toMatchObject({
      status: 400,
      code: 'refresh_token_not_found',
      message: 'Invalid Refresh Token: Refresh Token Not Found',
    })
    const user = await stack.client().auth.getUser(newest.data.session?.access_token)
    expect(user.error?.name).toBe('AuthSessionMissingError')
  })

  it('refuses malformed refresh tokens before looking them up', async () => {
    expect((await refresh('not-a-token')).error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'Refresh token is not valid',
    })
  })
})
