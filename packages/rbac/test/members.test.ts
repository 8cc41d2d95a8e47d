import {
  createTestDatabase,
  type TestDatabase,
  type TestUser,
} from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createRole, createTenant, type Tenant } from './factories.ts'

describe.each(['supabase', 'payload'] as const)('member functions (%s)', (adapter) => {
  let db: TestDatabase
  let t: Tenant
  let lead: string
  let agent: string
  let manager: TestUser
  let worker: TestUser
  beforeAll(async () => {
    db = await createTestDatabase({ adapter })
    t = await createTenant(db, 'Members')
    lead = await createRole(db, t, 'lead', t.rootRoleId, [
      'members.manage',
      'members.invite',
      'units.manage',
    ])
    agent = await createRole(db, t, 'agent', lead)
    manager = await addMember(db, t, lead, 'manager')
    worker = await addMember(db, t, agent, 'worker')
  })
  afterAll(() => db.close())

  const roleOf = async (user: TestUser) =>
    (
      await db.query(
        'select role_id from core.memberships where user_id = $1 and organization_id = $2 and not is_deleted',
        [user.id, t.orgId],
      )
    )[0]?.role_id

  it('adds someone who already shares an organization, to a role below the caller', async () => {
    const other = await createTenant(db, 'Other')
    const [inv] = await db
      .as(other.owner)
      .query('select token from public.create_invitation($1, $2, $3)', [
        worker.email,
        other.orgId,
        await createRole(db, other, 'x', other.rootRoleId),
      ])
    await db.as(worker).query('select * from public.accept_invitation($1)', [inv?.token])
    // other.owner shares Other with worker, not Members; the Members owner may not add them.
    await expect(
      db
        .as(manager)
        .query('select public.add_member_to_organization($1, $2, $3)', [
          t.orgId,
          other.owner.id,
          agent,
        ]),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'Invite people who are not yet in one of your organizations',
    })
    await expect(
      db
        .as(manager)
        .query('select public.add_member_to_organization($1, $2, $3)', [t.orgId, worker.id, agent]),
    ).rejects.toMatchObject({
      code: '23505',
      message: 'This user is already a member of the organization',
    })
  })

  it('changes and removes members below the caller', async () => {
    const temp = await addMember(db, t, agent, 'temp')
    await db
      .as(manager)
      .query('select public.update_member_role($1, $2, $3)', [t.orgId, temp.id, agent])
    expect(await roleOf(temp)).toBe(agent)
    await db
      .as(manager)
      .query('select public.remove_member_from_organization($1, $2)', [t.orgId, temp.id])
    expect(await roleOf(temp)).toBeUndefined()
    expect(await db.as(temp).query('select * from public.list_my_organizations()')).toEqual([])
    await expect(
      db
        .as(worker)
        .query('select public.remove_member_from_organization($1, $2)', [t.orgId, manager.id]),
    ).rejects.toMatchObject({ code: '42501', message: 'Missing permission members.manage' })
  })

  it('lets a member leave by themselves', async () => {
    const leaver = await addMember(db, t, agent, 'leaver')
    await db
      .as(leaver)
      .query('select public.remove_user_from_organization($1, $2)', [leaver.id, t.orgId])
    expect(await roleOf(leaver)).toBeUndefined()
  })

  it("transfers ownership: the new owner holds the root, the old owner the new owner's former role", async () => {
    const heir = await addMember(db, t, lead, 'heir')
    await db.as(t.owner).query('select public.transfer_super_admin($1, $2)', [t.orgId, heir.id])
    expect(await roleOf(heir)).toBe(t.rootRoleId)
    expect(await roleOf(t.owner)).toBe(lead)
    await expect(
      db.as(t.owner).query('select public.transfer_super_admin($1, $2)', [t.orgId, t.owner.id]),
    ).rejects.toMatchObject({ code: '42501', message: 'Only the owner can transfer ownership' })
    await db.as(heir).query('select public.transfer_super_admin($1, $2)', [t.orgId, t.owner.id])
    expect(await roleOf(t.owner)).toBe(t.rootRoleId)
  })

  it('manages unit members: assign, change role, remove; only roles below the caller', async () => {
    const [unit] = await db
      .as(manager)
      .query('select id from public.create_unit($1, $2)', [t.orgId, 'Field'])
    await db
      .as(manager)
      .query('select public.assign_user_to_unit($1, $2, $3)', [worker.id, unit?.id, agent])
    expect(
      await db.as(worker).query('select name, role from public.get_user_units($1)', [t.orgId]),
    ).toEqual([{ name: 'Field', role: 'agent' }])
    await expect(
      db
        .as(manager)
        .query('select public.update_unit_member_role($1, $2, $3)', [unit?.id, worker.id, lead]),
    ).rejects.toMatchObject({ code: '42501', message: 'You can only assign roles below your own' })
    expect(
      (
        await db.as(manager).query('select email from public.list_unit_members($1)', [unit?.id])
      ).map((r) => r.email),
    ).toContain(worker.email)
    const [perms] = await db
      .as(worker)
      .query('select role_name, casl_rules from public.get_user_unit_permissions($1)', [unit?.id])
    expect(perms).toEqual({ role_name: 'agent', casl_rules: [] })
    await db.as(manager).query('select public.remove_user_from_unit($1, $2)', [worker.id, unit?.id])
    expect(await db.as(worker).query('select * from public.list_my_units()')).toEqual([])
  })
})

describe('the one-owner rule and deleted accounts', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase()
  })
  afterAll(() => db.close())

  const deleteAccount = (user: TestUser) =>
    db.asAuthAdmin.query('delete from auth.users where id = $1', [user.id])

  it("keeps an active organization's only owner from deleting their account while others remain", async () => {
    const t = await createTenant(db, 'Active')
    await addMember(db, t, await createRole(db, t, 'crew', t.rootRoleId), 'crew')
    await expect(deleteAccount(t.owner)).rejects.toMatchObject({
      code: 'P0001',
      message: 'The last owner cannot leave or be removed; transfer ownership first',
    })
  })

  it('lets the owner of a deleted organization delete their account', async () => {
    const t = await createTenant(db, 'Closed')
    const crew = await addMember(db, t, await createRole(db, t, 'crew', t.rootRoleId), 'crew')
    await db.as(t.owner).query('select public.delete_organization($1)', [t.orgId])
    await deleteAccount(t.owner)
    const left = await db.query(
      'select user_id from core.memberships where organization_id = $1 and not is_deleted',
      [t.orgId],
    )
    expect(left.map((m) => m.user_id)).toEqual([crew.id])
  })
})
