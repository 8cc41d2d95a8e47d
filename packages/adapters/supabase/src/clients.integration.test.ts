import { createTestStack, type TestStack } from '@tenantbase/local-supabase/testing'
import { rpc } from '@tenantbase/schemas/rpc'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readSupabaseEnv } from '#src/env.ts'
import { createRequestClient } from '#src/server-client.ts'
import { createServiceClient } from '#src/service-client.ts'

let stack: TestStack
beforeAll(async () => {
  stack = await createTestStack()
})
afterAll(() => stack.close())

const env = () =>
  readSupabaseEnv({
    SUPABASE_URL: stack.url,
    SUPABASE_ANON_KEY: stack.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
  })

describe('typed clients', () => {
  it('explains a missing environment', () => {
    expect(() => readSupabaseEnv({ SUPABASE_URL: 'nope' })).toThrow(
      'Invalid Supabase environment (SUPABASE_URL, SUPABASE_ANON_KEY); see .env.example or `pnpm stack:status`.',
    )
  })

  it('provisions with the service client and signs the admin up through cookie sessions', async () => {
    const service = createServiceClient(env())
    const tenant = await rpc(service, 'provision_tenant', {
      p_name: 'Cookie Co',
      p_slug: 'cookie-co',
      p_admin_email: 'owner@cookie.co',
    })
    const token = (tenant as { invitation_token: string }).invitation_token
    const signUp = createRequestClient(env(), new Request('http://app.local/signup'))
    const { error } = await signUp.supabase.auth.signUp({
      email: 'owner@cookie.co',
      password: 'password123',
      options: { data: { invitation_token: token } },
    })
    expect(error).toBeNull()
    const cookies = signUp.headers.getSetCookie()
    expect(cookies.length).toBeGreaterThan(0)
    // The next request carries the cookies; the server client is signed in.
    const cookieHeader = cookies.map((c) => c.split(';')[0]).join('; ')
    const next = createRequestClient(
      env(),
      new Request('http://app.local/', { headers: { cookie: cookieHeader } }),
    )
    const orgs = await rpc(next.supabase, 'list_my_organizations', {})
    expect(orgs.map((o) => o.name)).toEqual(['Cookie Co'])
  })

  it('validates arguments before calling and maps database errors to RpcError', async () => {
    const anon = createRequestClient(env(), new Request('http://app.local/')).supabase
    await expect(rpc(anon, 'get_organization', { p_id: 'not-a-uuid' })).rejects.toMatchObject({
      code: 'invalid_args',
    })
    await expect(rpc(anon, 'list_my_organizations', {})).rejects.toMatchObject({ code: '42501' })
  })
})
