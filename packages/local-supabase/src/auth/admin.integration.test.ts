import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStack, type TestStack } from '#src/testing/index.ts'

// Admin API input checks and generate_link for email changes, as GoTrue; what the CLI leaves
// disabled (SAML SSO, Web3, anonymous sign-in, manual linking) answers with GoTrue's errors.

let stack: TestStack
beforeAll(async () => {
  stack = await createTestStack()
  await stack.db.query(
    `update platform.platform_settings set value = 'true' where key = 'allow_self_service_signup'`,
  )
})
afterAll(() => stack.close())

const admin = () => stack.client(stack.serviceRoleKey).auth.admin
const INVALID_FORMAT = {
  status: 400,
  code: 'validation_failed',
  message: 'Unable to validate email address: invalid format',
}

async function raw(method: string, path: string, token = stack.anonKey, body?: unknown) {
  const response = await fetch(`${stack.url}/auth/v1${path}`, {
    method,
    headers: {
      apikey: stack.anonKey,
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'x-supabase-api-version': '2024-01-01',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, headers: response.headers, body: await response.json() }
}

describe('admin input checks', () => {
  it("validates email addresses with GoTrue's rule in createUser, invite and generate_link", async () => {
    for (const email of [
      'xx:;x@x.x',
      'two@@example.com',
      'trailing-dot@example.com.',
      ' space@example.com',
    ]) {
      expect((await admin().createUser({ email, password: 'password123' })).error).toMatchObject(
        INVALID_FORMAT,
      )
      expect((await admin().inviteUserByEmail(email)).error).toMatchObject(INVALID_FORMAT)
      const link = await admin().generateLink({ type: 'signup', email, password: 'password123' })
      expect(link.error).toMatchObject(INVALID_FORMAT)
      expect(link.data).toEqual({ properties: null, user: null })
    }
    // No TLD needed, as in GoTrue (the WHATWG rule).
    expect(
      (await admin().createUser({ email: 'dev@localhost', password: 'password123' })).error,
    ).toBeNull()
    expect(
      (await admin().createUser({ email: `${'a'.repeat(251)}@x.io`, password: 'password123' }))
        .error,
    ).toMatchObject({ status: 400, message: 'An email address is too long' })
    expect(await stack.db.query(`select 1 from auth.users where email like '%x.x'`)).toEqual([])
  })

  it('refuses bad page and per_page in listUsers like GoTrue', async () => {
    expect((await admin().listUsers({ page: -1, perPage: 10 })).error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'Bad Pagination Parameters: strconv.ParseUint: parsing "-1": invalid syntax',
    })
    expect(await raw('GET', '/admin/users?per_page=ten', stack.serviceRoleKey)).toMatchObject({
      status: 400,
      body: {
        code: 'validation_failed',
        message: 'Bad Pagination Parameters: strconv.ParseUint: parsing "ten": invalid syntax',
      },
    })
    for (const email of ['page-1@example.com', 'page-2@example.com', 'page-3@example.com']) {
      await admin().createUser({ email, password: 'password123' })
    }
    const page = await admin().listUsers({ page: 1, perPage: 2 })
    expect(page.error).toBeNull()
    expect(page.data.users).toHaveLength(2)
    expect(page.data).toMatchObject({ nextPage: 2, total: expect.any(Number) })
    const listed = await raw('GET', '/admin/users?page=1&per_page=2', stack.serviceRoleKey)
    expect(listed.headers.get('link')).toMatch(
      /^<\/admin\/users\?page=2&per_page=2>; rel="next", <\/admin\/users\?page=\d+&per_page=2>; rel="last"$/,
    )
  })
})

describe('generate_link for sign-ups', () => {
  it('keeps the given data as user_metadata (no identity claims, unlike /signup)', async () => {
    const { data, error } = await admin().generateLink({
      type: 'signup',
      email: 'generated@example.com',
      password: 'password123',
      options: { data: { status: 'alpha' } },
    })
    expect(error).toBeNull()
    expect(data.user?.user_metadata).toEqual({ status: 'alpha' })
    expect(data.properties?.action_link).toContain('type=signup')
  })
})

describe('generate_link for email changes', () => {
  it('email_change_new: the link to the new address applies the change', async () => {
    const created = await admin().createUser({
      email: 'link-old@example.com',
      password: 'password123',
      email_confirm: true,
    })
    const { data, error } = await admin().generateLink({
      type: 'email_change_new',
      email: 'link-old@example.com',
      newEmail: 'Link-New@example.com',
    })
    expect(error).toBeNull()
    expect(data.user).toMatchObject({
      email: 'link-old@example.com',
      new_email: 'link-new@example.com',
    })
    expect(data.properties?.verification_type).toBe('email_change_new')
    expect(data.properties?.action_link).toContain('type=email_change')
    const response = await fetch(data.properties?.action_link as string, { redirect: 'manual' })
    expect(response.status).toBe(303)
    const [row] = await stack.db.query('select email from auth.users where id = $1', [
      created.data.user?.id,
    ])
    expect(row).toEqual({ email: 'link-new@example.com' })
  })

  it('email_change_current: its token hash verifies (the current address confirms)', async () => {
    await admin().createUser({
      email: 'current-old@example.com',
      password: 'password123',
      email_confirm: true,
    })
    const { data } = await admin().generateLink({
      type: 'email_change_current',
      email: 'current-old@example.com',
      newEmail: 'current-new@example.com',
    })
    expect(data.properties?.verification_type).toBe('email_change_current')
    const verified = await stack.client().auth.verifyOtp({
      type: 'email_change',
      token_hash: data.properties?.hashed_token as string,
    })
    expect(verified.error).toBeNull()
    expect(verified.data.user?.email).toBe('current-new@example.com')
  })

  it('refuses unknown users, taken addresses and bad link types', async () => {
    expect(
      (
        await admin().generateLink({
          type: 'email_change_new',
          email: 'nobody@example.com',
          newEmail: 'x@example.com',
        })
      ).error,
    ).toMatchObject({
      status: 404,
      code: 'user_not_found',
      message: 'User with this email not found',
    })
    await admin().createUser({ email: 'taken-a@example.com', password: 'password123' })
    await admin().createUser({ email: 'taken-b@example.com', password: 'password123' })
    expect(
      (
        await admin().generateLink({
          type: 'email_change_current',
          email: 'taken-a@example.com',
          newEmail: 'taken-b@example.com',
        })
      ).error,
    ).toMatchObject({ status: 422, code: 'email_exists' })
    expect(
      await raw('POST', '/admin/generate_link', stack.serviceRoleKey, {
        type: 'bogus',
        email: 'taken-a@example.com',
      }),
    ).toMatchObject({
      status: 400,
      body: {
        code: 'validation_failed',
        message: 'Invalid email action link type requested: bogus',
      },
    })
  })
})

describe('what the local stack leaves disabled, as the CLI does', () => {
  it('answers SAML SSO with saml_provider_disabled', async () => {
    const { data, error } = await stack.client().auth.signInWithSSO({ domain: 'example.com' })
    expect(data).toBeNull()
    expect(error).toMatchObject({
      status: 404,
      code: 'saml_provider_disabled',
      message: 'SAML 2.0 is disabled',
    })
  })

  it('answers Web3 sign-in with web3_provider_disabled', async () => {
    expect(
      await raw('POST', '/token?grant_type=web3', stack.anonKey, { chain: 'solana' }),
    ).toMatchObject({
      status: 422,
      body: { code: 'web3_provider_disabled', message: 'Web3 provider is disabled' },
    })
  })

  it('answers signInWithIdToken with provider_disabled, and its input errors as GoTrue', async () => {
    const auth = stack.client().auth
    const google = await auth.signInWithIdToken({ provider: 'google', token: 'mock-id-token' })
    expect(google.data).toEqual({ user: null, session: null })
    expect(google.error).toMatchObject({
      status: 400,
      code: 'provider_disabled',
      message: 'Provider (issuer "https://accounts.google.com") is not enabled',
    })
    const appleToken = `e30.${Buffer.from('{"iss":"https://appleid.apple.com"}').toString('base64url')}.x`
    expect(
      (await auth.signInWithIdToken({ provider: 'apple', token: appleToken })).error,
    ).toMatchObject({ code: 'provider_disabled', message: expect.stringContaining('appleid') })
    expect(
      (await auth.signInWithIdToken({ provider: 'apple', token: 'not-a-jwt' })).error,
    ).toMatchObject({
      code: 'validation_failed',
      message: 'Unable to detect issuer in ID token for Apple provider',
    })
    expect(
      (await auth.signInWithIdToken({ provider: 'custom:acme', token: 'mock-id-token' })).error,
    ).toMatchObject({ code: 'validation_failed', message: 'Custom OAuth providers are disabled' })
    expect(
      await raw('POST', '/token?grant_type=id_token', stack.anonKey, { provider: 'google' }),
    ).toMatchObject({
      status: 400,
      body: { error: 'invalid request', error_description: 'id_token required' },
    })
  })

  it('answers anonymous sign-in and manual linking with their disabled errors', async () => {
    expect((await stack.client().auth.signInAnonymously()).error).toMatchObject({
      status: 422,
      code: 'anonymous_provider_disabled',
      message: 'Anonymous sign-ins are disabled',
    })
    await admin().createUser({
      email: 'linker@example.com',
      password: 'password123',
      email_confirm: true,
    })
    const { data } = await stack
      .client()
      .auth.signInWithPassword({ email: 'linker@example.com', password: 'password123' })
    expect(
      await raw('GET', '/user/identities/authorize?provider=github', data.session?.access_token),
    ).toMatchObject({
      status: 404,
      body: { code: 'manual_linking_disabled', message: 'Manual linking is disabled' },
    })
  })
})
