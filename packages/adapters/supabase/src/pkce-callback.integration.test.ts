import { createTestStack, latestMail, type TestStack } from '@tenantbase/local-supabase/testing'
import { rpc } from '@tenantbase/schemas/rpc'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readSupabaseEnv } from '#src/env.ts'
import { createRequestClient } from '#src/server-client.ts'
import { createServiceClient } from '#src/service-client.ts'

// What an app's /auth/callback route does with @supabase/ssr (flowType 'pkce'): the verifier
// travels in a cookie from the request that asked for the mail to the callback request.

let stack: TestStack
/** Sign-ups wait for their emailed confirmation here. */
let confirming: TestStack
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
  // The invite-only rule has its own tests; this one is about the Auth flow.
  await stack.db.query(
    `update platform.platform_settings set value = 'true' where key = 'allow_self_service_signup'`,
  )
})
afterAll(() => Promise.all([stack?.close(), confirming?.close()]))

const env = (s: TestStack = stack) =>
  readSupabaseEnv({
    SUPABASE_URL: s.url,
    SUPABASE_ANON_KEY: s.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: s.serviceRoleKey,
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

describe('an invited sign-up with email confirmation through a cookie-session server client', () => {
  it('joins the organization when the confirmation link is exchanged in /auth/callback', async () => {
    const tenant = (await rpc(createServiceClient(env(confirming)), 'provision_tenant', {
      p_name: 'Callback Co',
      p_slug: 'callback-co',
      p_admin_email: 'owner@callback.co',
    })) as { invitation_token: string }
    const signup = createRequestClient(env(confirming), new Request('http://127.0.0.1:5173/signup'))
    const { data, error } = await signup.supabase.auth.signUp({
      email: 'owner@callback.co',
      password: 'password123',
      options: {
        data: { invitation_token: tenant.invitation_token },
        emailRedirectTo: 'http://127.0.0.1:5173/auth/callback',
      },
    })
    expect(error).toBeNull()
    expect(data.session).toBeNull()
    const [pending] = await confirming.db.query(
      `select count(*)::int as members from core.memberships m join auth.users u on u.id = m.user_id
       where u.email = 'owner@callback.co'`,
    )
    expect(pending).toEqual({ members: 0 })

    const mail = await latestMail(confirming.mailUrl, 'owner@callback.co', 'Confirm Your Email')
    const response = await fetch(mail.links[0] as string, { redirect: 'manual' })
    const landing = new URL(response.headers.get('location') as string)
    const callback = createRequestClient(
      env(confirming),
      new Request(landing, { headers: { cookie: cookieHeader(signup.headers) } }),
    )
    const exchanged = await callback.supabase.auth.exchangeCodeForSession(
      landing.searchParams.get('code') as string,
    )
    expect(exchanged.error).toBeNull()
    const next = createRequestClient(
      env(confirming),
      new Request('http://127.0.0.1:5173/', {
        headers: { cookie: cookieHeader(callback.headers) },
      }),
    )
    const orgs = await rpc(next.supabase, 'list_my_organizations', {})
    expect(orgs.map((o) => o.name)).toEqual(['Callback Co'])
  })
})
