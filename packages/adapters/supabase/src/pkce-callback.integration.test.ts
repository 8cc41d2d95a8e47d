import { createTestStack, latestMail, type TestStack } from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readSupabaseEnv } from '#src/env.ts'
import { createRequestClient } from '#src/server-client.ts'

// What an app's /auth/callback route does with @supabase/ssr (flowType 'pkce'): the verifier
// travels in a cookie from the request that asked for the mail to the callback request.

let stack: TestStack
beforeAll(async () => {
  stack = await createTestStack()
  // The invite-only rule has its own tests; this one is about the Auth flow.
  await stack.db.query(
    `update platform.platform_settings set value = 'true' where key = 'allow_self_service_signup'`,
  )
})
afterAll(() => stack.close())

const env = () =>
  readSupabaseEnv({
    SUPABASE_URL: stack.url,
    SUPABASE_ANON_KEY: stack.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
  })

/** The Cookie header a browser sends back after these Set-Cookie headers. */
const cookieHeader = (headers: Headers) =>
  headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')

describe('password recovery through a cookie-session server client', () => {
  it('exchanges the mailed code once in /auth/callback; a second exchange fails like GoTrue', async () => {
    const email = 'ssr-recovery@example.com'
    const created = await stack
      .client(stack.serviceRoleKey)
      .auth.admin.createUser({ email, password: 'password123', email_confirm: true })
    expect(created.error).toBeNull()

    const forgot = createRequestClient(env(), new Request('http://127.0.0.1:5173/forgot'))
    const sent = await forgot.supabase.auth.resetPasswordForEmail(email, {
      redirectTo: 'http://127.0.0.1:5173/auth/callback',
    })
    expect(sent.error).toBeNull()
    const verifierCookies = cookieHeader(forgot.headers)
    expect(verifierCookies).toContain('-code-verifier=')

    const mail = await latestMail(stack.mailUrl, email, 'Reset Your Password')
    const response = await fetch(mail.links[0] as string, { redirect: 'manual' })
    expect(response.status).toBe(303)
    const landing = new URL(response.headers.get('location') as string)
    expect(landing.pathname).toBe('/auth/callback')
    const code = landing.searchParams.get('code') as string

    const callback = (cookie: string) =>
      createRequestClient(env(), new Request(landing, { headers: { cookie } }))
    const first = callback(verifierCookies)
    const exchanged = await first.supabase.auth.exchangeCodeForSession(code)
    expect(exchanged.error).toBeNull()
    expect(exchanged.data.user?.email).toBe(email)
    // The session now lives in the response cookies; the next request is signed in.
    const signedIn = createRequestClient(
      env(),
      new Request('http://127.0.0.1:5173/', { headers: { cookie: cookieHeader(first.headers) } }),
    )
    expect((await signedIn.supabase.auth.getUser()).data.user?.email).toBe(email)

    // The same callback replayed (same code, same verifier cookie) is refused by the server.
    const replay = await callback(verifierCookies).supabase.auth.exchangeCodeForSession(code)
    expect(replay.data.session).toBeNull()
    expect(replay.error).toMatchObject({
      status: 404,
      code: 'flow_state_not_found',
      message: 'invalid flow state, no valid flow state found',
    })
  })
})
