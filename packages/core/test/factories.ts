// Shared with packages/rbac/test: tenants are created through the public functions, as an app would.
import { randomBytes } from 'node:crypto'
import type { TestDatabase, TestUser } from '@tenantbase/local-supabase/testing'

export type Tenant = { orgId: string; rootRoleId: string; owner: TestUser; slug: string }

const unique = () => randomBytes(4).toString('hex')

/** Provisions an organization as the service role and lets its owner accept the invitation. */
export async function createTenant(db: TestDatabase, name = 'Acme'): Promise<Tenant> {
  const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${unique()}`
  const email = `owner-${slug}@example.com`
  const [row] = await db
    .as('service_role')
    .query<{ t: { organization_id: string; root_role_id: string; invitation_token: string } }>(
      'select public.provision_tenant($1, $2, $3) as t',
      [name, slug, email],
    )
  if (!row) throw new Error('provision_tenant returned nothing')
  const owner = await db.createUser({ email, password: 'password123' })
  await db.as(owner).query('select * from public.accept_invitation($1)', [row.t.invitation_token])
  return { orgId: row.t.organization_id, rootRoleId: row.t.root_role_id, owner, slug }
}

/** Creates a role as `actor` (default: the owner) under a parent, with permissions. */
export async function createRole(
  db: TestDatabase,
  tenant: Tenant,
  name: string,
  parentRoleId: string,
  permissions: string[] = [],
  actor: TestUser = tenant.owner,
): Promise<string> {
  const [role] = await db
    .as(actor)
    .query<{ id: string }>('select id from public.create_role($1, $2, $3, null, null, $4)', [
      tenant.orgId,
      name,
      parentRoleId,
      permissions,
    ])
  if (!role) throw new Error('create_role returned nothing')
  return role.id
}

/** Invites a new person to a role (as the owner) and has them accept. */
export async function addMember(
  db: TestDatabase,
  tenant: Tenant,
  roleId: string,
  label = 'member',
): Promise<TestUser> {
  const email = `${label}-${unique()}@example.com`
  const [invitation] = await db
    .as(tenant.owner)
    .query<{ token: string }>('select token from public.create_invitation($1, $2, $3)', [
      email,
      tenant.orgId,
      roleId,
    ])
  const user = await db.createUser({ email, password: 'password123' })
  await db.as(user).query('select * from public.accept_invitation($1)', [invitation?.token])
  return user
}
