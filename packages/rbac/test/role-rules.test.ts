import {
  createTestDatabase,
  type TestDatabase,
  type TestUser,
} from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createRole, createTenant, type Tenant } from './factories.ts'

// Owner ─ manager (roles.manage, members.*, deals.read) ─ agent (deals.read) ─ intern
let db: TestDatabase
let t: Tenant
let manager: string
let agent: string
let intern: string
let alice: TestUser // manager
let bob: TestUser // agent
beforeAll(async () => {
  db = await createTestDatabase()
  t = await createTenant(db, 'Rules')
  manager = await createRole(db, t, 'manager', t.rootRoleId, [
    'roles.manage',
    'members.invite',
    'members.manage',
    'deals.read',
  ])
  agent = await createRole(db, t, 'agent', manager, ['deals.read'])
  intern = await createRole(db, t, 'intern', agent)
  alice = await addMember(db, t, manager, 'alice')
  bob = await addMember(db, t, agent, 'bob')
})
afterAll(() => db.close())

describe('role rules', () => {
  it('lets a manager create roles under their own role, with permissions they hold', async () => {
    const id = await createRole(db, t, 'trainee', manager, ['deals.read'], alice)
    expect(
      await db.query('select permission from rbac.role_permissions where role_id = $1', [id]),
    ).toEqual([{ permission: 'deals.read' }])
  })

  it('refuses to create a role above or beside the caller', async () => {
    await expect(createRole(db, t, 'peer', t.rootRoleId, [], alice)).rejects.toMatchObject({
      code: '42501',
      message: 'You can only create roles under your own role or below it',
    })
  })

  it('refuses to grant a permission the caller does not hold (insert, update and set)', async () => {
    await expect(
      createRole(db, t, 'greedy', manager, ['billing.manage'], alice),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'You cannot grant a permission you do not hold: billing.manage',
    })
    await expect(
      db.as(alice).query('select public.set_role_permissions($1, $2)', [agent, ['audit.read']]),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'You cannot grant a permission you do not hold: audit.read',
    })
    await expect(
      db
        .as(alice)
        .query(`update rbac.role_permissions set permission = 'audit.read' where role_id = $1`, [
          agent,
        ]),
    ).rejects.toMatchObject({ code: '42501' })
  })

  // The guard trigger is the rule; table grants are a second fence. These writes run with full
  // table privileges (postgres) as alice, so only the rule can refuse them.
  const asAliceWithTablePrivileges = <T>(
    fn: (q: (sql: string, params?: unknown[]) => Promise<unknown[]>) => Promise<T>,
  ) =>
    db.tx(async (q) => {
      await q(`select set_config('request.jwt.claims', $1, true)`, [
        JSON.stringify({ sub: alice.id, role: 'authenticated' }),
      ])
      return fn(q)
    })

  it('checks role permission writes by rule on INSERT, UPDATE and DELETE, not only by table grants', async () => {
    const auditor = await createRole(db, t, 'audit-desk', t.rootRoleId, ['audit.read'])
    const ownRole = 'You can only change the permissions of roles below your own'
    // INSERT: on her own role, on a role beside her, and a code she does not hold.
    for (const [roleId, code, message] of [
      [manager, 'deals.read', ownRole],
      [auditor, 'deals.read', ownRole],
      [agent, 'audit.read', 'You cannot grant a permission you do not hold: audit.read'],
    ] as const) {
      await expect(
        asAliceWithTablePrivileges((q) =>
          q(
            `insert into rbac.role_permissions (organization_id, role_id, permission) values ($1, $2, $3)`,
            [t.orgId, roleId, code],
          ),
        ),
      ).rejects.toMatchObject({ code: '42501', message })
    }
    // UPDATE: to a code she does not hold, or moving a grant onto her own role.
    await expect(
      asAliceWithTablePrivileges((q) =>
        q(`update rbac.role_permissions set permission = 'audit.read' where role_id = $1`, [agent]),
      ),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'You cannot grant a permission you do not hold: audit.read',
    })
    await expect(
      asAliceWithTablePrivileges((q) =>
        q('update rbac.role_permissions set role_id = $1 where role_id = $2', [manager, agent]),
      ),
    ).rejects.toMatchObject({ code: '42501', message: ownRole })
    // DELETE: her own role's grants and a grant of a role beside her.
    for (const roleId of [manager, auditor]) {
      await expect(
        asAliceWithTablePrivileges((q) =>
          q('delete from rbac.role_permissions where role_id = $1', [roleId]),
        ),
      ).rejects.toMatchObject({ code: '42501', message: ownRole })
    }
    await expect(
      db.as(alice).query('select public.set_role_permissions($1, $2)', [auditor, []]),
    ).rejects.toMatchObject({ code: '42501', message: 'You can only manage roles below your own' })
    // The allowed path: a role below her loses a grant.
    const removed = await db
      .tx(async (q) => {
        await q(`select set_config('request.jwt.claims', $1, true)`, [
          JSON.stringify({ sub: alice.id, role: 'authenticated' }),
        ])
        const rows = await q(
          'delete from rbac.role_permissions where role_id = $1 returning permission',
          [agent],
        )
        throw Object.assign(new Error('rollback'), { rows })
      })
      .catch((error: { rows?: unknown[] }) => error.rows)
    expect(removed).toEqual([{ permission: 'deals.read' }])
    expect(
      await db.query('select permission from rbac.role_permissions where role_id = $1 order by 1', [
        auditor,
      ]),
    ).toEqual([{ permission: 'audit.read' }])
  })

  it("refuses to edit the permissions of the caller's own role or the root role", async () => {
    await expect(
      db.as(alice).query('select public.set_role_permissions($1, $2)', [manager, ['deals.read']]),
    ).rejects.toMatchObject({ code: '42501', message: 'You can only manage roles below your own' })
    await expect(
      db.query(
        `insert into rbac.role_permissions (organization_id, role_id, permission) values ($1, $2, 'deals.read')`,
        [t.orgId, t.rootRoleId],
      ),
    ).rejects.toMatchObject({
      code: 'P0001',
      message:
        'The root role holds every permission enabled for the organization; its permissions cannot be edited',
    })
  })

  it("renames roles below (the change is kept) and refuses to rename the caller's own", async () => {
    const [renamed] = await db
      .as(alice)
      .query('select name, label from public.update_role($1, $2, $3)', [
        intern,
        'apprentice',
        'Apprentice',
      ])
    expect(renamed).toEqual({ name: 'apprentice', label: 'Apprentice' })
    expect(await db.query('select name from core.roles where id = $1', [intern])).toEqual([
      { name: 'apprentice' },
    ])
    await expect(
      db.as(alice).query('select public.update_role($1, $2)', [manager, 'boss']),
    ).rejects.toMatchObject({
      code: '42501',
    })
    await expect(
      db.as(t.owner).query('select public.update_role($1, $2)', [t.rootRoleId, 'x']),
    ).rejects.toMatchObject({
      code: '42501',
    })
  })

  it('refuses duplicate role names case-insensitively', async () => {
    await expect(createRole(db, t, 'AGENT', manager, [], t.owner)).rejects.toMatchObject({
      code: '23505',
      message: 'A role named "AGENT" already exists in this organization',
    })
  })

  it('refuses to delete a role with members, and never deletes memberships', async () => {
    await expect(
      db.as(t.owner).query('select public.delete_role($1)', [agent]),
    ).rejects.toMatchObject({
      code: 'P0001',
      message: 'This role still has members; give them another role first',
    })
    expect(
      await db.query('select count(*)::int as n from core.memberships where user_id = $1', [
        bob.id,
      ]),
    ).toEqual([{ n: 1 }])
  })

  it('re-attaches the children of a deleted role to its parents', async () => {
    const middle = await createRole(db, t, 'middle', manager, [], t.owner)
    const leaf = await createRole(db, t, 'leaf', middle, [], t.owner)
    await db.as(t.owner).query('select public.delete_role($1)', [middle])
    expect(
      await db.query('select parent_role_id from rbac.role_edges where child_role_id = $1', [leaf]),
    ).toEqual([{ parent_role_id: manager }])
  })

  it('refuses to remove the last parent of a role', async () => {
    await expect(
      db.as(t.owner).query('select public.remove_role_parent($1, $2)', [agent, manager]),
    ).rejects.toMatchObject({
      code: 'P0001',
      message: 'A role must keep at least one parent; add another parent first',
    })
  })

  it('protects the root role', async () => {
    await expect(
      db.query('update core.roles set is_root = false where id = $1', [t.rootRoleId]),
    ).rejects.toMatchObject({
      code: 'P0001',
      message: 'The root role cannot be changed into another role, nor a role into the root',
    })
    await expect(
      db.query('delete from core.roles where id = $1', [t.rootRoleId]),
    ).rejects.toMatchObject({
      code: 'P0001',
      message: 'The root role cannot be deleted',
    })
    await expect(
      db.query(
        `insert into core.roles (organization_id, name, is_root) values ($1, 'second-root', true)`,
        [t.orgId],
      ),
    ).rejects.toMatchObject({ code: 'P0001', message: 'The organization already has a root role' })
  })

  it('refuses role functions to people outside the organization, whatever ids they pass', async () => {
    const other = await createTenant(db, 'Other')
    await expect(
      db.as(other.owner).query('select public.delete_role($1)', [intern]),
    ).rejects.toMatchObject({
      code: 'PT404',
      message: 'Role not found',
    })
    await expect(
      createRole(db, t, 'intruder', t.rootRoleId, [], other.owner),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'You are not a member of this organization',
    })
  })

  it('computes effective permissions as own ∪ everything below, the same in get_my_access and claims', async () => {
    const [access] = await db
      .as(alice)
      .query('select permissions, subordinate_role_ids from public.get_my_access($1)', [t.orgId])
    expect(access?.permissions).toEqual([
      'deals.read',
      'members.invite',
      'members.manage',
      'roles.manage',
    ])
    expect(access?.subordinate_role_ids).toContain(agent)
    expect(access?.subordinate_role_ids).toContain(intern)
    const [hook] = await db.asAuthAdmin.query(
      `select public.custom_access_token_hook(jsonb_build_object('user_id', $1::text, 'claims', '{}'::jsonb)) -> 'claims' as c`,
      [alice.id],
    )
    const claims = hook?.c as { permissions: string[]; subordinate_role_ids: string[] }
    expect(claims.permissions).toEqual(access?.permissions)
    expect([...claims.subordinate_role_ids].sort()).toEqual(
      [...((access?.subordinate_role_ids ?? []) as string[])].sort(),
    )
  })
})

describe('member rules', () => {
  it('nobody changes their own role', async () => {
    await expect(
      db
        .as(alice)
        .query('select public.update_member_role($1, $2, $3)', [t.orgId, alice.id, agent]),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'You cannot change your own membership this way',
    })
  })

  it('assigns only roles strictly below the caller', async () => {
    await expect(
      db
        .as(alice)
        .query('select public.update_member_role($1, $2, $3)', [t.orgId, bob.id, manager]),
    ).rejects.toMatchObject({ code: '42501', message: 'You can only assign roles below your own' })
    await db
      .as(alice)
      .query('select public.update_member_role($1, $2, $3)', [t.orgId, bob.id, intern])
    await db
      .as(alice)
      .query('select public.update_member_role($1, $2, $3)', [t.orgId, bob.id, agent])
  })

  it('invites only to roles strictly below the caller', async () => {
    await expect(
      db
        .as(alice)
        .query('select * from public.create_invitation($1, $2, $3)', [
          'x@example.com',
          t.orgId,
          manager,
        ]),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'You can only invite people to roles below your own',
    })
    await expect(
      db
        .as(bob)
        .query('select * from public.create_invitation($1, $2, $3)', [
          'x@example.com',
          t.orgId,
          intern,
        ]),
    ).rejects.toMatchObject({ code: '42501', message: 'Missing permission members.invite' })
  })

  it('keeps exactly one owner: the owner cannot leave, ownership moves only by transfer', async () => {
    await expect(
      db
        .as(t.owner)
        .query('select public.remove_user_from_organization($1, $2)', [t.owner.id, t.orgId]),
    ).rejects.toMatchObject({
      code: 'P0001',
      message: 'The owner cannot leave the organization; transfer ownership first',
    })
    await expect(
      db
        .as(t.owner)
        .query('select public.add_member_to_organization($1, $2, $3)', [
          t.orgId,
          bob.id,
          t.rootRoleId,
        ]),
    ).rejects.toMatchObject({ code: '42501' })
    await expect(
      db.query(
        'update core.memberships set role_id = $1 where user_id = $2 and organization_id = $3',
        [t.rootRoleId, bob.id, t.orgId],
      ),
    ).rejects.toMatchObject({
      code: 'P0001',
      message: 'An organization has exactly one owner; use transfer_super_admin',
    })
    await expect(
      db.as(alice).query('select public.transfer_super_admin($1, $2)', [t.orgId, bob.id]),
    ).rejects.toMatchObject({ code: '42501', message: 'Only the owner can transfer ownership' })
  })

  it('members cannot write memberships or roles at table level', async () => {
    await expect(
      db
        .as(alice)
        .query('update core.memberships set role_id = $1 where user_id = $2', [
          t.rootRoleId,
          alice.id,
        ]),
    ).rejects.toMatchObject({ code: '42501', message: 'permission denied for table memberships' })
    await expect(
      db
        .as(alice)
        .query(
          `insert into core.memberships (organization_id, user_id, role_id) values ($1, $2, $3)`,
          [t.orgId, alice.id, t.rootRoleId],
        ),
    ).rejects.toMatchObject({ code: '42501' })
  })
})
