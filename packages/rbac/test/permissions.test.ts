import {
  createTestDatabase,
  type TestDatabase,
  type TestUser,
} from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createRole, createTenant, type Tenant } from './factories.ts'

describe.each(['supabase', 'payload'] as const)('permission codes (%s)', (adapter) => {
  let db: TestDatabase
  let t: Tenant
  let role: string
  let treasurer: TestUser
  let clerk: TestUser
  beforeAll(async () => {
    db = await createTestDatabase({ adapter })
    t = await createTenant(db, 'Codes')
    role = await createRole(db, t, 'treasurer', t.rootRoleId, ['billing.manage'])
    treasurer = await addMember(db, t, role, 'treasurer')
    clerk = await addMember(db, t, await createRole(db, t, 'clerk', t.rootRoleId), 'clerk')
  })
  afterAll(() => db.close())

  it('gates at least one function or policy with every code of the catalogue', async () => {
    // A code gates something when a function or policy of the project names it. Record types
    // gate <resource>.read through the access engine (rbac.readable_record_ids, storage).
    const rows = await db.query(
      `select p.code from rbac.permissions p
       where not exists (
           select 1 from pg_proc f
           where f.pronamespace::regnamespace::text in ('public', 'core', 'rbac', 'app', 'platform')
             and f.prosrc like '%''' || p.code || '''%')
         and not exists (
           select 1 from pg_policies pol
           where coalesce(pol.qual, '') || coalesce(pol.with_check, '') like '%''' || p.code || '''%')
       order by 1`,
    )
    expect(rows).toEqual([])
  })

  it('refuses unknown codes with 22023, naming every one of them', async () => {
    const message = 'Unknown permission codes: dl:c, billing.read'
    await expect(
      db
        .as('service_role')
        .query(
          `select public.provision_tenant('X', 'unknown-codes', 'x@example.com', 'Admin', $1)`,
          [['deals.read', 'dl:c', 'billing.read']],
        ),
    ).rejects.toMatchObject({ code: '22023', message })
    await expect(
      db
        .as(t.owner)
        .query('select public.set_role_permissions($1, $2)', [
          role,
          ['billing.manage', 'dl:c', 'billing.read'],
        ]),
    ).rejects.toMatchObject({ code: '22023', message })
    await expect(
      createRole(db, t, 'typo', t.rootRoleId, ['dl:c', 'billing.read']),
    ).rejects.toMatchObject({ code: '22023', message })
    expect(
      await db.query(
        `select count(*)::int as n from core.organizations where slug = 'unknown-codes'`,
      ),
    ).toEqual([{ n: 0 }])
    expect(
      await db.query('select permission from rbac.role_permissions where role_id = $1', [role]),
    ).toEqual([{ permission: 'billing.manage' }])
  })

  it('gates the billing account (customer and subscription ids for checkout and portal) with billing.manage', async () => {
    await db.query(
      `insert into platform.billing_subscriptions (organization_id, provider, provider_subscription_id, provider_customer_id,
         provider_price_id, status, quantity, last_event_at)
       values ($1, 'stripe', 'sub_1', 'cus_1', 'price_pro_monthly', 'active', 3, now())`,
      [t.orgId],
    )
    expect(
      await db
        .as(treasurer)
        .query(
          'select provider, provider_customer_id, provider_subscription_id, status, quantity, seat_count from public.get_billing_account($1)',
          [t.orgId],
        ),
    ).toEqual([
      {
        provider: 'stripe',
        provider_customer_id: 'cus_1',
        provider_subscription_id: 'sub_1',
        status: 'active',
        quantity: 3,
        seat_count: 3,
      },
    ])
    await expect(
      db.as(clerk).query('select * from public.get_billing_account($1)', [t.orgId]),
    ).rejects.toMatchObject({ code: '42501', message: 'Missing permission billing.manage' })
    const outsider = (await createTenant(db, 'Elsewhere')).owner
    await expect(
      db.as(outsider).query('select * from public.get_billing_account($1)', [t.orgId]),
    ).rejects.toMatchObject({ code: '42501', message: 'You are not a member of this organization' })
    await expect(
      db.as('anon').query('select * from public.get_billing_account($1)', [t.orgId]),
    ).rejects.toMatchObject({ code: '42501' })
  })
})
