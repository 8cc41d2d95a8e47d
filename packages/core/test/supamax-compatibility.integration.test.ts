import { createTestStack, type TestStack } from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// SupaMax's documented provisioning call (its README usage), through supabase-js with the
// service key, and what docs/moving-from-supamax.md says changes around it.
let stack: TestStack
beforeAll(async () => {
  stack = await createTestStack()
})
afterAll(() => stack.close())

const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'))

const enabled = [
  'deals.create',
  'deals.delete',
  'deals.read',
  'deals.update',
  'members.invite',
  'roles.manage',
]

describe("SupaMax's provision_tenant through supabase-js", () => {
  let tenant: Record<string, string>

  it('takes p_name, p_slug, p_admin_email, p_role_name, p_permissions and answers with both names', async () => {
    const { data, error, status } = await stack
      .client(stack.serviceRoleKey)
      .rpc('provision_tenant', {
        p_name: 'Acme Corp',
        p_slug: 'acme',
        p_admin_email: 'ceo@acme.com',
        p_role_name: 'Admin',
        p_permissions: enabled,
      })
    expect(error).toBeNull()
    expect(status).toBe(200)
    tenant = data
    expect(data).toMatchObject({
      tenant_id: data.organization_id,
      role_id: data.root_role_id,
      invite_id: data.invitation_id,
    })
    expect(data.invitation_token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('signs the admin up into the root role p_role_name, holding exactly p_permissions', async () => {
    const client = stack.client()
    const { data, error } = await client.auth.signUp({
      email: 'ceo@acme.com',
      password: 'password123',
      options: { data: { invitation_token: tenant.invitation_token } },
    })
    expect(error).toBeNull()
    const claims = claimsOf(data.session?.access_token as string)
    expect(claims).toMatchObject({
      tenant_id: tenant.tenant_id,
      role_id: tenant.role_id,
      permissions: enabled,
    })
    expect((await client.rpc('get_user_role', { p_org_id: tenant.tenant_id })).data).toBe('Admin')
    // Nobody in the organization can be granted a code outside its set.
    const { error: refused, status } = await client.rpc('create_role', {
      p_org_id: tenant.tenant_id,
      p_name: 'auditor',
      p_parent_role_id: tenant.role_id,
      p_permissions: ['audit.read'],
    })
    expect(status).toBe(400)
    expect(refused).toMatchObject({
      code: 'P0001',
      message: 'The permission audit.read is not enabled for this organization',
    })
  })

  it("refuses SupaMax's dl:c-style codes with 400, naming them", async () => {
    const { error, status } = await stack.client(stack.serviceRoleKey).rpc('provision_tenant', {
      p_name: 'Globex',
      p_slug: 'globex',
      p_admin_email: 'ceo@globex.com',
      p_role_name: 'Admin',
      p_permissions: ['dl:c', 'dl:r', 'rl:u'],
    })
    expect(status).toBe(400)
    expect(error).toMatchObject({
      code: '22023',
      message: 'Unknown permission codes: dl:c, dl:r, rl:u',
    })
  })

  it('is refused to anon (401) and to a signed-in user who is not a platform admin (403)', async () => {
    const args = {
      p_name: 'X',
      p_slug: 'x-co',
      p_admin_email: 'x@x.com',
      p_role_name: 'Admin',
      p_permissions: null,
    }
    const anon = await stack.client().rpc('provision_tenant', args)
    expect([anon.status, anon.error?.code]).toEqual([401, '42501'])
    const client = stack.client()
    await client.auth.signInWithPassword({ email: 'ceo@acme.com', password: 'password123' })
    const user = await client.rpc('provision_tenant', args)
    expect([user.status, user.error?.message]).toEqual([
      403,
      'Only the service role or a platform admin can provision tenants',
    ])
  })

  it('lets the platform change the enabled set later', async () => {
    const { data, error } = await stack
      .client(stack.serviceRoleKey)
      .rpc('platform_set_organization_permissions', {
        p_org_id: tenant.tenant_id,
        p_permissions: [...enabled, 'audit.read'],
      })
    expect(error).toBeNull()
    expect(data).toEqual([...enabled, 'audit.read'].sort())
    const client = stack.client()
    await client.auth.signInWithPassword({ email: 'ceo@acme.com', password: 'password123' })
    const { data: access } = await client.rpc('get_my_access', { p_org_id: tenant.tenant_id })
    expect(access[0].permissions).toEqual([...enabled, 'audit.read'].sort())
  })
})
