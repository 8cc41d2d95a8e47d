import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStack, type TestStack } from '#src/testing/index.ts'

let stack: TestStack
beforeAll(async () => {
  stack = await createTestStack()
  // These tests are about Auth itself; the invite-only rule has its own tests.
  await stack.db.query(
    `update platform.platform_settings set value = 'true' where key = 'allow_self_service_signup'`,
  )
  // A hook that stamps a counter, so tests can see it ran on issue and on refresh.
  await stack.db.query(`
    create table public.hook_calls (n serial primary key, method text);
    grant select, insert on public.hook_calls to supabase_auth_admin; grant usage on sequence public.hook_calls_n_seq to supabase_auth_admin;
    create or replace function public.custom_access_token_hook(event jsonb) returns jsonb language plpgsql as $$
    declare n int;
    begin
      insert into public.hook_calls (method) values (event ->> 'authentication_method') returning hook_calls.n into n;
      if event -> 'claims' -> 'user_metadata' ->> 'break_hook' = 'missing' then return '{}'::jsonb; end if;
      if event -> 'claims' -> 'user_metadata' ->> 'break_hook' = 'raise' then raise exception 'boom'; end if;
      return jsonb_build_object('claims', (event -> 'claims') || jsonb_build_object('hook_call', n));
    end $$;
    grant execute on function public.custom_access_token_hook(jsonb) to supabase_auth_admin;`)
})
afterAll(() => stack.close())

const admin = () => stack.client(stack.serviceRoleKey).auth.admin

describe('auth', () => {
  it("signs in a user inserted by SQL with crypt(), and issues GoTrue claims plus the hook's", async () => {
    await stack.db.superuser.query(
      `select set_config('tenantbase.allow_uninvited_user', 'on', false);
       insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', 'sql@example.com',
         extensions.crypt('password123', extensions.gen_salt('bf')), now(), '{"provider":"email","providers":["email"]}', '{}', now(), now())`,
    )
    const client = stack.client()
    const { data, error } = await client.auth.signInWithPassword({
      email: 'sql@example.com',
      password: 'password123',
    })
    expect(error).toBeNull()
    const claims = decodeJwt(data.session?.access_token as string)
    expect(claims).toMatchObject({
      iss: `${stack.url}/auth/v1`,
      aud: 'authenticated',
      role: 'authenticated',
      email: 'sql@example.com',
      phone: '',
      aal: 'aal1',
      is_anonymous: false,
    })
    expect(claims.session_id).toBeTypeOf('string')
    expect(claims.hook_call).toBeTypeOf('number')
    // GoTrue's refresh tokens: 12 lower-case base32 characters.
    expect(data.session?.refresh_token).toMatch(/^[a-z2-7]{12}$/)
  })

  it('refuses wrong passwords with invalid_credentials', async () => {
    const { error } = await stack
      .client()
      .auth.signInWithPassword({ email: 'sql@example.com', password: 'nope-nope' })
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_credentials',
      message: 'Invalid login credentials',
    })
  })

  it('recomputes the hook claims on refresh and rotates the refresh token', async () => {
    const client = stack.client()
    const first = await client.auth.signInWithPassword({
      email: 'sql@example.com',
      password: 'password123',
    })
    const before = decodeJwt(first.data.session?.access_token as string).hook_call as number
    const refreshed = await client.auth.refreshSession()
    expect(refreshed.error).toBeNull()
    expect(decodeJwt(refreshed.data.session?.access_token as string).hook_call).toBeGreaterThan(
      before,
    )
    expect(refreshed.data.session?.refresh_token).not.toBe(first.data.session?.refresh_token)
    const methods = await stack.db.query(
      `select method from public.hook_calls order by n desc limit 1`,
    )
    expect(methods).toEqual([{ method: 'token_refresh' }])
  })

  it('answers a hook without claims with a 500 and issues no session', async () => {
    await admin().createUser({
      email: 'broken@example.com',
      password: 'password123',
      email_confirm: true,
      user_metadata: { break_hook: 'missing' },
    })
    const { data, error } = await stack
      .client()
      .auth.signInWithPassword({ email: 'broken@example.com', password: 'password123' })
    expect(data.session).toBeNull()
    expect(error?.status).toBe(500)
    expect(error?.message).toBe('output claims field is missing')
  })

  it('gets and updates the user, merging metadata', async () => {
    const client = stack.client()
    await client.auth.signInWithPassword({ email: 'sql@example.com', password: 'password123' })
    const updated = await client.auth.updateUser({ data: { plan: 'pro' } })
    expect(updated.error).toBeNull()
    const { data } = await client.auth.getUser()
    expect(data.user?.user_metadata).toMatchObject({ plan: 'pro' })
    const forbidden = await client.auth.updateUser({ password: 'short' })
    expect(forbidden.error).toMatchObject({ status: 422, code: 'weak_password' })
  })

  it('signs out with scopes: local ends one session, global all', async () => {
    const a = stack.client()
    const b = stack.client()
    await a.auth.signInWithPassword({ email: 'sql@example.com', password: 'password123' })
    await b.auth.signInWithPassword({ email: 'sql@example.com', password: 'password123' })
    const tokenB = (await b.auth.getSession()).data.session?.access_token as string
    await a.auth.signOut({ scope: 'local' })
    expect((await b.auth.getUser(tokenB)).error).toBeNull()
    await b.auth.signOut({ scope: 'global' })
    const after = await stack.client().auth.getUser(tokenB)
    // GoTrue answers 403 session_not_found, which auth-js turns into AuthSessionMissingError.
    expect(after.error?.name).toBe('AuthSessionMissingError')
  })

  it('lets only the service role use the admin API', async () => {
    const users = await admin().listUsers({ page: 1, perPage: 2 })
    expect(users.error).toBeNull()
    expect(users.data.users.length).toBe(2)
    const anon = await stack.client().auth.admin.listUsers()
    expect(anon.error).toMatchObject({ status: 403, code: 'not_admin' })
  })

  it('creates, gets, updates and deletes users as admin; duplicates are refused', async () => {
    const created = await admin().createUser({
      email: 'Admin-Made@example.com',
      password: 'password123',
      email_confirm: true,
    })
    expect(created.data.user?.email).toBe('admin-made@example.com')
    const dup = await admin().createUser({
      email: 'admin-made@example.com',
      password: 'password123',
    })
    expect(dup.error).toMatchObject({ status: 422, code: 'email_exists' })
    const id = created.data.user?.id as string
    expect((await admin().getUserById(id)).data.user?.id).toBe(id)
    const updated = await admin().updateUserById(id, { app_metadata: { tier: 'gold' } })
    expect(updated.data.user?.app_metadata).toMatchObject({ provider: 'email', tier: 'gold' })
    expect((await admin().deleteUser(id)).error).toBeNull()
    expect((await admin().getUserById(id)).error).toMatchObject({
      status: 404,
      code: 'user_not_found',
    })
  })

  it('generates a recovery link whose token hash verifies into a session', async () => {
    const link = await admin().generateLink({ type: 'recovery', email: 'sql@example.com' })
    expect(link.error).toBeNull()
    expect(link.data.properties?.action_link).toContain(`${stack.url}/auth/v1/verify?token=`)
    const client = stack.client()
    const verified = await client.auth.verifyOtp({
      type: 'recovery',
      token_hash: link.data.properties?.hashed_token ?? '',
    })
    expect(verified.error).toBeNull()
    expect(verified.data.session?.access_token).toBeTypeOf('string')
    const again = await client.auth.verifyOtp({
      type: 'recovery',
      token_hash: link.data.properties?.hashed_token ?? '',
    })
    expect(again.error).toMatchObject({
      status: 403,
      code: 'otp_expired',
      message: 'Email link is invalid or has expired',
    })
  })

  it('sends recovery and invitation emails to the mail catcher', async () => {
    await admin().createUser({
      email: 'mail@example.com',
      password: 'password123',
      email_confirm: true,
    })
    expect((await stack.client().auth.resetPasswordForEmail('mail@example.com')).error).toBeNull()
    expect((await admin().inviteUserByEmail('invitee@example.com')).error).toBeNull()
    const inbox = (await (await fetch(`${stack.mailUrl}/api/v1/messages`)).json()) as {
      messages: { ID: string; Subject: string; To: { Address: string }[] }[]
    }
    // The catcher's page offers the mail's action link first (what a person clicks).
    const invitation = inbox.messages.find((m) => m.Subject === 'You have been invited')
    const page = await (await fetch(`${stack.mailUrl}/view/${invitation?.ID}`)).text()
    expect(/class="mail-link" href="([^"]+)"/.exec(page)?.[1]).toMatch(
      new RegExp(`^${stack.url}/auth/v1/verify\\?token=[0-9a-f]{56}&amp;type=invite&amp;`),
    )
    expect(inbox.messages.map((m) => [m.To[0]?.Address, m.Subject])).toEqual(
      expect.arrayContaining([
        ['mail@example.com', 'Reset Your Password'],
        ['invitee@example.com', 'You have been invited'],
      ]),
    )
  })

  it('answers bad tokens and malformed bodies like GoTrue', async () => {
    const bad = await stack.client().auth.getUser('not-a-jwt')
    expect(bad.error).toMatchObject({ status: 403, code: 'bad_jwt' })
    const response = await fetch(`${stack.url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: {
        apikey: stack.anonKey,
        'content-type': 'application/json',
        'x-supabase-api-version': '2024-01-01',
      },
      body: '{not json',
    })
    expect(response.status).toBe(400)
    expect(response.headers.get('x-supabase-api-version')).toBe('2024-01-01')
    expect(await response.json()).toEqual({
      code: 'bad_json',
      message: 'Could not parse request body as JSON',
    })
    const jwks = (await (await fetch(`${stack.url}/auth/v1/.well-known/jwks.json`)).json()) as {
      keys: { alg: string }[]
    }
    expect(jwks.keys.map((k) => k.alg)).toEqual(['ES256'])
  })
})
