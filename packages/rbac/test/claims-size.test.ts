import { createTestStack, type TestStack } from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createRole, createTenant, type Tenant } from './factories.ts'

// SPEC §4.5: the access token stays under 4 KB whatever the organization's size. The owner of an
// organization with 1,000 roles signs in through the real auth endpoint; their token lists only
// the first subordinate role ids and carries the true count, so apps know to ask get_my_access.
let stack: TestStack
let large: Tenant
let small: Tenant
let limit: number
const ROLES = 1000

beforeAll(async () => {
  stack = await createTestStack()
  const db = stack.db
  limit = (await db.query<{ n: number }>('select rbac.claims_subordinate_limit() as n'))[0]?.n ?? 0
  large = await createTenant(db, 'Large')
  // 999 roles under the root: a chain of 50, the rest under random earlier roles (a DAG, as the
  // bench builds), written directly as the migration role.
  await db.query(
    `do $$
     declare
       v_org uuid := '${large.orgId}';
       v_ids uuid[] := array['${large.rootRoleId}'::uuid];
       v_id uuid;
     begin
       for i in 1..${ROLES - 1} loop
         insert into core.roles (organization_id, name) values (v_org, 'role-' || i) returning id into v_id;
         insert into rbac.role_edges (organization_id, parent_role_id, child_role_id)
         values (v_org, case when i <= 50 then v_ids[i] else v_ids[1 + floor(random() * i)::int] end, v_id);
         v_ids := v_ids || v_id;
       end loop;
     end $$`,
  )
  small = await createTenant(db, 'Small')
})
afterAll(() => stack?.close())

/** Signs in through the gateway (the claims hook runs there) and returns the access token. */
async function signIn(email: string) {
  const client = stack.client()
  const { data, error } = await client.auth.signInWithPassword({ email, password: 'password123' })
  if (error || !data.session) throw error ?? new Error('no session')
  const token = data.session.access_token
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString())
  return { client, token, payload }
}

describe('access token size', () => {
  it('keeps the token of the owner of a 1,000-role organization under 4 KB', async () => {
    const { token, payload } = await signIn(large.owner.email)
    expect(Buffer.byteLength(token)).toBeLessThan(4096)
    expect(limit).toBeGreaterThan(0)
    expect(payload.tenant_id).toBe(large.orgId)
    expect(payload.role_id).toBe(large.rootRoleId)
    expect(payload.subordinate_role_ids).toHaveLength(limit)
    expect(payload.subordinate_role_count).toBe(ROLES - 1)
  })

  it('says the list is incomplete; get_my_access has every role the list stands for', async () => {
    const { client, payload } = await signIn(large.owner.email)
    const { data, error } = await client.rpc('get_my_access', { p_org_id: large.orgId })
    expect(error).toBeNull()
    const all = (data as { subordinate_role_ids: string[] }[])[0]?.subordinate_role_ids ?? []
    expect(all).toHaveLength(payload.subordinate_role_count)
    expect(payload.subordinate_role_ids.length).toBeLessThan(payload.subordinate_role_count)
    // The listed ids are the first ones of the full set, in the same order.
    expect(payload.subordinate_role_ids).toEqual([...all].sort().slice(0, limit))
  })

  it('lists every subordinate when they fit, with the count equal to the list', async () => {
    const lead = await createRole(stack.db, small, 'lead', small.rootRoleId, ['deals.read'])
    const rep = await createRole(stack.db, small, 'rep', lead, ['deals.read'])
    const member = await addMember(stack.db, small, lead, 'lead')
    const { payload } = await signIn(member.email)
    expect(payload.subordinate_role_ids).toEqual([rep])
    expect(payload.subordinate_role_count).toBe(1)
    const owner = await signIn(small.owner.email)
    expect([...owner.payload.subordinate_role_ids].sort()).toEqual([lead, rep].sort())
    expect(owner.payload.subordinate_role_count).toBe(2)
  })

  it('bounds every role of the large organization, not only the root', async () => {
    // A role in the middle of the chain also has hundreds of roles below it.
    const [mid] = await stack.db.query<{ id: string; below: string }>(
      `select r.id, (select count(*) from rbac.role_closure c where c.ancestor_role_id = r.id and c.descendant_role_id <> r.id) as below
       from core.roles r where r.organization_id = $1 and r.name = 'role-3'`,
      [large.orgId],
    )
    const member = await addMember(stack.db, large, mid?.id as string, 'mid')
    const { token, payload } = await signIn(member.email)
    expect(Number(mid?.below)).toBeGreaterThan(limit)
    expect(Buffer.byteLength(token)).toBeLessThan(4096)
    expect(payload.subordinate_role_ids).toHaveLength(limit)
    expect(payload.subordinate_role_count).toBe(Number(mid?.below))
  })
})
