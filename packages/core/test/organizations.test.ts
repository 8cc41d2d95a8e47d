import {
  createTestDatabase,
  type TestDatabase,
  type TestUser,
} from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createRole, createTenant, type Tenant } from './factories.ts'

describe.each(['supabase', 'payload'] as const)('organizations and units (%s)', (adapter) => {
  let db: TestDatabase
  let a: Tenant
  let b: Tenant
  let both: TestUser
  let viewer: TestUser
  let viewerRole: string
  beforeAll(async () => {
    db = await createTestDatabase({ adapter })
    a = await createTenant(db, 'Alpha')
    b = await createTenant(db, 'Beta')
    viewerRole = await createRole(db, a, 'viewer', a.rootRoleId, [])
    viewer = await addMember(db, a, viewerRole, 'viewer')
    // One person in both organizations, with different roles.
    both = await addMember(
      db,
      a,
      await createRole(db, a, 'editor', a.rootRoleId, [
        'organization.update',
        'units.manage',
        'audit.read',
      ]),
      'both',
    )
    const [inv] = await db
      .as(b.owner)
      .query('select token from public.create_invitation($1, $2, $3)', [
        both.email,
        b.orgId,
        await createRole(db, b, 'guest', b.rootRoleId),
      ])
    await db.as(both).query('select * from public.accept_invitation($1)', [inv?.token])
  })
  afterAll(() => db.close())

  it("lists the caller's organizations with their role in each", async () => {
    const rows = await db
      .as(both)
      .query('select name, role from public.list_my_organizations() order by name')
    expect(rows).toEqual([
      { name: 'Alpha', role: 'editor' },
      { name: 'Beta', role: 'guest' },
    ])
    expect(await db.as(viewer).query('select name from public.get_user_organizations()')).toEqual([
      { name: 'Alpha' },
    ])
  })

  it('shows an organization and its members to members only', async () => {
    expect(
      await db.as(viewer).query('select name from public.get_organization($1)', [a.orgId]),
    ).toEqual([{ name: 'Alpha' }])
    expect(
      await db.as(viewer).query('select name from public.get_organization($1)', [b.orgId]),
    ).toEqual([])
    expect(
      (
        await db
          .as(viewer)
          .query('select role from public.list_organization_members($1)', [a.orgId])
      ).length,
    ).toBe(3)
    expect(
      await db.as(viewer).query('select * from public.list_organization_members($1)', [b.orgId]),
    ).toEqual([])
    await expect(
      db.as('anon').query('select * from public.list_my_organizations()'),
    ).rejects.toMatchObject({ code: '42501' })
  })

  it('updates an organization with organization.update in that organization only', async () => {
    const [row] = await db
      .as(both)
      .query('select name from public.update_organization($1, $2, $3)', [
        a.orgId,
        'Alpha Inc',
        'desc',
      ])
    expect(row).toEqual({ name: 'Alpha Inc' })
    await expect(
      db.as(both).query('select * from public.update_organization($1, $2)', [b.orgId, 'Hijack']),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'Missing permission organization.update',
    })
    await expect(
      db.as(viewer).query('select * from public.update_organization($1, $2)', [a.orgId, 'Nope']),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'Missing permission organization.update',
    })
    await expect(
      db
        .as(both)
        .query('select * from public.update_organization_meta($1, null, null, $2)', [
          a.orgId,
          'Mars/Olympus',
        ]),
    ).rejects.toMatchObject({ code: '22023', message: 'Unknown time zone Mars/Olympus' })
  })

  it('members cannot move anyone between organizations by writing rows', async () => {
    await expect(
      db
        .as(viewer)
        .query('update core.memberships set organization_id = $1 where user_id = $2', [
          b.orgId,
          viewer.id,
        ]),
    ).rejects.toMatchObject({ code: '42501' })
    await expect(
      db
        .as(viewer)
        .query('update core.users_meta set active_organization_id = $1 where user_id = $2', [
          b.orgId,
          viewer.id,
        ]),
    ).rejects.toMatchObject({ code: '42501' })
    await expect(
      db.query(
        'update core.memberships set role_id = $1 where user_id = $2 and organization_id = $3',
        [b.rootRoleId, viewer.id, a.orgId],
      ),
    ).rejects.toMatchObject({ code: '23503' })
  })

  it('manages units with units.manage, and only members join them', async () => {
    const [unit] = await db
      .as(both)
      .query('select id, name from public.create_unit($1, $2)', [a.orgId, 'Sales'])
    expect(unit?.name).toBe('Sales')
    await expect(
      db.as(viewer).query('select * from public.create_unit($1, $2)', [a.orgId, 'X']),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'Missing permission units.manage',
    })
    await expect(
      db.as(both).query('select * from public.create_unit($1, $2)', [a.orgId, 'sales']),
    ).rejects.toMatchObject({
      code: '23505',
      message: 'A unit named "sales" already exists in this organization',
    })
    await db
      .as(a.owner)
      .query('select public.add_member_to_unit($1, $2, $3)', [unit?.id, viewer.id, viewerRole])
    expect(await db.as(viewer).query('select name, role from public.list_my_units()')).toEqual([
      { name: 'Sales', role: 'viewer' },
    ])
    await expect(
      db
        .as(a.owner)
        .query('select public.add_member_to_unit($1, $2, $3)', [unit?.id, b.owner.id, viewerRole]),
    ).rejects.toMatchObject({
      code: 'P0001',
      message: 'Only members of the organization can join its units',
    })
    expect(await db.as(b.owner).query('select * from public.list_units($1)', [a.orgId])).toEqual([])
    await db.as(both).query('select public.delete_unit($1)', [unit?.id])
    expect(await db.as(viewer).query('select * from public.list_my_units()')).toEqual([])
  })

  it('soft-deletes an organization: members lose it at once, the service role keeps it', async () => {
    const c = await createTenant(db, 'Gamma')
    await expect(
      db.as(viewer).query('select public.delete_organization($1)', [c.orgId]),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'Only the owner can delete the organization',
    })
    await db.as(c.owner).query('select public.delete_organization($1)', [c.orgId])
    expect(await db.as(c.owner).query('select * from public.list_my_organizations()')).toEqual([])
    expect(
      await db
        .as('service_role')
        .query('select is_deleted from core.organizations where id = $1', [c.orgId]),
    ).toEqual([{ is_deleted: true }])
  })

  it('writes an immutable audit trail readable with audit.read', async () => {
    const rows = await db
      .as(both)
      .query('select action, target_table, changes from public.get_audit_log($1, 100)', [a.orgId])
    expect(rows).toContainEqual({
      action: 'update',
      target_table: 'core.organizations',
      changes: {
        name: { old: 'Alpha', new: 'Alpha Inc' },
        description: { old: null, new: 'desc' },
      },
    })
    await expect(
      db.as(viewer).query('select * from public.get_audit_log($1, 10)', [a.orgId]),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'Missing permission audit.read',
    })
    await expect(
      db.query('update core.audit_logs set action = $1', ['insert']),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'core.audit_logs is append-only',
    })
    await expect(db.as('service_role').query('delete from core.audit_logs')).rejects.toMatchObject({
      code: '42501',
    })
    expect(
      (
        await db.query(
          'select count(*)::int as n from core.audit_logs where organization_id is null',
        )
      )[0]?.n,
    ).toBe(0)
  })

  it('keeps profiles to their owner', async () => {
    const [profile] = await db
      .as(viewer)
      .query('select email, first_name from public.update_user_profile($1, $2)', ['Vera', 'Viewer'])
    expect(profile).toEqual({ email: viewer.email, first_name: 'Vera' })
    await expect(
      db.as(viewer).query(`update core.users_meta set first_name = 'x'`),
    ).rejects.toMatchObject({ code: '42501' })
  })

  it("stores secrets in the adapter's store, never readable by API roles", async () => {
    const [row] = await db
      .as(a.owner)
      .query('select public.create_secret($1, $2, $3, $4) as id', [
        'organization',
        a.orgId,
        'stripe_key',
        'sk_live_123',
      ])
    expect(await db.query('select core.read_secret_impl($1) as v', [row?.id])).toEqual([
      { v: 'sk_live_123' },
    ])
    expect(JSON.stringify(await db.query('select * from platform.tenant_secrets'))).not.toContain(
      'sk_live_123',
    )
    for (const actor of [a.owner, 'service_role'] as const) {
      await expect(
        db.as(actor).query('select core.read_secret_impl($1)', [row?.id]),
      ).rejects.toMatchObject({ code: '42501' })
    }
    expect(await db.as(a.owner).query('select secret_name from public.list_secrets()')).toEqual([
      { secret_name: 'stripe_key' },
    ])
    expect(await db.as(viewer).query('select secret_name from public.list_secrets()')).toEqual([])
    await expect(
      db
        .as(viewer)
        .query('select public.create_secret($1, $2, $3, $4)', ['organization', a.orgId, 'x', 'y']),
    ).rejects.toMatchObject({ code: '42501', message: 'Missing permission secrets.manage' })
  })

  it('keeps platform tables closed and feature flags readable by members', async () => {
    await expect(
      db.as(a.owner).query('select * from platform.platform_settings'),
    ).rejects.toMatchObject({ code: '42501' })
    await expect(
      db.as(a.owner).query(`select public.platform_set_feature_flag('beta', true)`),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'Platform admins only',
    })
    await db.as('service_role').query(`select public.platform_set_feature_flag('beta', false)`)
    await db
      .as('service_role')
      .query(`select public.platform_set_organization_feature($1, 'beta', true)`, [a.orgId])
    expect(
      await db
        .as(viewer)
        .query('select key, enabled from public.get_organization_features($1)', [a.orgId]),
    ).toEqual([{ key: 'beta', enabled: true }])
    await expect(
      db.as(viewer).query('select * from public.get_organization_features($1)', [b.orgId]),
    ).rejects.toMatchObject({
      code: '42501',
    })
  })
})
