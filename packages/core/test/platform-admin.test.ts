import {
  createTestDatabase,
  type TestDatabase,
  type TestUser,
} from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createRole, createTenant, type Tenant } from './factories.ts'

// The operator's screens: tenants with plan and member counts, one tenant, feature flags and
// their per-tenant overrides, settings and the action log. Platform admins only.
let db: TestDatabase
let acme: Tenant
let globex: Tenant
let admin: TestUser

beforeAll(async () => {
  db = await createTestDatabase()
  acme = await createTenant(db, 'Acme Rockets')
  globex = await createTenant(db, 'Globex')
  await addMember(db, acme, await createRole(db, acme, 'member', acme.rootRoleId), 'member')
  admin = await db.createUser({ email: 'operator@platform.test' })
  await db.as('service_role').query('select public.platform_set_admin($1, true)', [admin.id])
})
afterAll(() => db.close())

describe('platform admin functions', () => {
  it('tells the caller whether they are a platform admin', async () => {
    expect(await db.as(admin).query('select public.is_platform_admin() as yes')).toEqual([
      { yes: true },
    ])
    expect(await db.as(acme.owner).query('select public.is_platform_admin() as yes')).toEqual([
      { yes: false },
    ])
    await expect(db.as('anon').query('select public.is_platform_admin()')).rejects.toMatchObject({
      code: '42501',
      message: 'permission denied for function is_platform_admin',
    })
  })

  it('lists and searches tenants with member counts and plans', async () => {
    await db
      .as(admin)
      .query(`select public.platform_set_subscription_override($1, 'enterprise')`, [globex.orgId])
    const list = (search: string | null) =>
      db
        .as(admin)
        .query(
          'select slug, member_count, plan, plan_name, plan_source from public.platform_list_organizations($1)',
          [search],
        )
    expect(await list('ROCKETS')).toEqual([
      {
        slug: acme.slug,
        member_count: 2,
        plan: 'free',
        plan_name: 'Free',
        plan_source: 'free',
      },
    ])
    expect(await list(globex.slug)).toEqual([
      {
        slug: globex.slug,
        member_count: 1,
        plan: 'enterprise',
        plan_name: 'Enterprise',
        plan_source: 'override',
      },
    ])
    // Wildcards in the search are taken literally.
    expect(await list('%')).toEqual([])
    expect((await list(null)).length).toBe(2)
    await expect(
      db.as(acme.owner).query('select * from public.platform_list_organizations()'),
    ).rejects.toMatchObject({ code: '42501', message: 'Platform admins only' })
  })

  it('shows one tenant with its override, and says when it does not exist', async () => {
    expect(
      await db
        .as(admin)
        .query(
          'select slug, member_count, plan, plan_source, override_plan, subscription_status from public.platform_get_organization($1)',
          [globex.orgId],
        ),
    ).toEqual([
      {
        slug: globex.slug,
        member_count: 1,
        plan: 'enterprise',
        plan_source: 'override',
        override_plan: 'enterprise',
        subscription_status: null,
      },
    ])
    await expect(
      db
        .as(admin)
        .query('select * from public.platform_get_organization($1)', [
          '00000000-0000-4000-8000-000000000000',
        ]),
    ).rejects.toMatchObject({ code: 'PT404', message: 'Organization not found' })
    await expect(
      db
        .as(globex.owner)
        .query('select * from public.platform_get_organization($1)', [globex.orgId]),
    ).rejects.toMatchObject({ code: '42501', message: 'Platform admins only' })
  })

  it('manages feature flags and per-tenant overrides, which members read', async () => {
    await db
      .as(admin)
      .query(`select public.platform_set_feature_flag('reports.beta', false, 'The new reports')`)
    await expect(
      db.as(admin).query(`select public.platform_set_feature_flag('Reports Beta', true)`),
    ).rejects.toMatchObject({
      code: '22023',
      message:
        'Invalid flag key: use lower-case letters, digits, dots and underscores, starting with a letter',
    })
    await db
      .as(admin)
      .query(`select public.platform_set_organization_feature($1, 'reports.beta', true)`, [
        acme.orgId,
      ])
    expect(
      await db.as(admin).query('select * from public.platform_list_feature_flags()'),
    ).toMatchObject([
      { key: 'reports.beta', description: 'The new reports', enabled: false, override_count: 1 },
    ])
    expect(
      await db
        .as(admin)
        .query(
          'select key, default_enabled, override, enabled from public.platform_list_organization_features($1)',
          [acme.orgId],
        ),
    ).toEqual([{ key: 'reports.beta', default_enabled: false, override: true, enabled: true }])
    expect(
      await db
        .as(acme.owner)
        .query('select * from public.get_organization_features($1)', [acme.orgId]),
    ).toEqual([{ key: 'reports.beta', enabled: true }])
    // null puts the tenant back on the flag's default.
    await db
      .as(admin)
      .query(`select public.platform_set_organization_feature($1, 'reports.beta', null)`, [
        acme.orgId,
      ])
    expect(
      await db.as(admin).query('select * from public.get_organization_features($1)', [acme.orgId]),
    ).toEqual([{ key: 'reports.beta', enabled: false }])
    await expect(
      db.as(acme.owner).query('select * from public.platform_list_feature_flags()'),
    ).rejects.toMatchObject({ code: '42501', message: 'Platform admins only' })
    await expect(
      db
        .as(acme.owner)
        .query(`select public.platform_set_organization_feature($1, 'reports.beta', true)`, [
          acme.orgId,
        ]),
    ).rejects.toMatchObject({ code: '42501', message: 'Platform admins only' })
  })

  it('validates settings', async () => {
    await expect(
      db.as(admin).query(`select public.platform_set_setting('Bad Key', 'true')`),
    ).rejects.toMatchObject({
      code: '22023',
      message:
        'Invalid setting key: use lower-case letters, digits, dots and underscores, starting with a letter',
    })
    await expect(
      db.as(admin).query(`select public.platform_set_setting('x', null)`),
    ).rejects.toMatchObject({ code: '22023', message: 'A setting needs a JSON value' })
  })

  it('lists every action in the action log, newest first, for platform admins only', async () => {
    const [provisioned] = await db
      .as(admin)
      .query(`select public.provision_tenant('Initech', 'initech', 'boss@initech.test') as t`)
    const log = await db
      .as(admin)
      .query(
        'select actor_email, action, target_organization_name, details from public.platform_list_action_logs(10, 0)',
      )
    expect(log[0]).toEqual({
      actor_email: 'operator@platform.test',
      action: 'provision_tenant',
      target_organization_name: 'Initech',
      details: { slug: 'initech', admin_email: 'boss@initech.test', role_name: 'Owner' },
    })
    expect(log.map((entry) => entry.action)).toEqual([
      'provision_tenant',
      'set_organization_feature',
      'set_organization_feature',
      'set_feature_flag',
      'set_subscription_override',
      'set_admin',
      'provision_tenant',
      'provision_tenant',
    ])
    expect(provisioned?.t.organization_id).toBeTypeOf('string')
    expect(
      await db
        .as(admin)
        .query('select count(*)::int as n from public.platform_list_action_logs(2, 7)'),
    ).toEqual([{ n: 1 }])
    await expect(
      db.as(admin).query('select * from public.platform_list_action_logs(0, 0)'),
    ).rejects.toMatchObject({ code: '22023', message: 'p_limit must be between 1 and 200' })
    await expect(
      db.as(acme.owner).query('select * from public.platform_list_action_logs()'),
    ).rejects.toMatchObject({ code: '42501', message: 'Platform admins only' })
  })
})
