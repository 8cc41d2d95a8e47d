import {
  createTestDatabase,
  type TestDatabase,
  type TestUser,
} from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createRole, createTenant, type Tenant } from './factories.ts'

describe.each(['supabase', 'payload'] as const)(
  'read functions and self-service (%s)',
  (adapter) => {
    let db: TestDatabase
    let t: Tenant
    let seller: string
    let sam: TestUser
    let stranger: TestUser
    beforeAll(async () => {
      db = await createTestDatabase({ adapter })
      t = await createTenant(db, 'Reads')
      seller = await createRole(db, t, 'seller', t.rootRoleId, ['deals.create', 'deals.read'])
      sam = await addMember(db, t, seller, 'sam')
      stranger = (await createTenant(db, 'Elsewhere')).owner
    })
    afterAll(() => db.close())

    it('lists roles with parents and permissions to members only', async () => {
      const roles = await db
        .as(sam)
        .query(
          'select name, is_root, parent_role_ids, permissions, is_below_me from public.list_roles($1)',
          [t.orgId],
        )
      expect(roles).toEqual([
        { name: 'Owner', is_root: true, parent_role_ids: [], permissions: [], is_below_me: false },
        {
          name: 'seller',
          is_root: false,
          parent_role_ids: [t.rootRoleId],
          permissions: ['deals.create', 'deals.read'],
          is_below_me: false,
        },
      ])
      expect(await db.as(stranger).query('select * from public.list_roles($1)', [t.orgId])).toEqual(
        [],
      )
      expect(
        (await db.as(sam).query('select code from public.list_permissions()')).map((r) => r.code),
      ).toContain('deals.read')
      await expect(
        db.as('anon').query('select * from public.list_permissions()'),
      ).rejects.toMatchObject({ code: '42501' })
    })

    it('answers get_user_role and get_user_permissions (with CASL rules) for the caller', async () => {
      expect(await db.as(sam).query('select public.get_user_role($1) as role', [t.orgId])).toEqual([
        { role: 'seller' },
      ])
      expect(
        await db
          .as(sam)
          .query('select role_name, permissions, casl_rules from public.get_user_permissions($1)', [
            t.orgId,
          ]),
      ).toEqual([
        {
          role_name: 'seller',
          permissions: ['deals.create', 'deals.read'],
          casl_rules: [
            { action: 'create', subject: 'deals' },
            { action: 'read', subject: 'deals' },
          ],
        },
      ])
      expect(
        await db.as(stranger).query('select public.get_user_role($1) as role', [t.orgId]),
      ).toEqual([{ role: null }])
      expect(
        await db.as(stranger).query('select * from public.get_user_permissions($1)', [t.orgId]),
      ).toEqual([])
    })

    it('gets and lists deals through the policies', async () => {
      const [deal] = await db
        .as(sam)
        .query(`select id from public.create_deal($1, 'Mine', 'private', 100)`, [t.orgId])
      expect(
        await db.as(sam).query('select title, amount from public.get_deal($1)', [deal?.id]),
      ).toEqual([{ title: 'Mine', amount: '100.00' }])
      expect(
        (await db.as(t.owner).query('select id from public.get_deal($1)', [deal?.id]))[0]?.id ??
          null,
      ).toBeNull()
      expect(
        (
          await db
            .as(sam)
            .query('select title from public.list_deals($1, 10, 0, $2)', [t.orgId, 'mi'])
        ).map((r) => r.title),
      ).toEqual(['Mine'])
      expect(await db.as(stranger).query('select * from public.list_deals($1)', [t.orgId])).toEqual(
        [],
      )
    })

    it('narrows the list to one visibility, still through the policies', async () => {
      const filter = await createTenant(db, 'Filter')
      const lead = await createRole(db, filter, 'lead', filter.rootRoleId, ['deals.create'])
      const rep = await createRole(db, filter, 'rep', lead, ['deals.create', 'deals.read'])
      const ann = await addMember(db, filter, lead, 'ann')
      const bob = await addMember(db, filter, rep, 'bob')
      for (const [who, title, visibility] of [
        [ann, 'Ann private', 'private'],
        [ann, 'Ann public', 'public'],
        [bob, 'Bob private', 'private'],
        [bob, 'Bob controlled', 'controlled'],
        [bob, 'Bob public', 'public'],
      ] as const) {
        await db
          .as(who)
          .query('select public.create_deal($1, $2, $3)', [filter.orgId, title, visibility])
      }
      const titles = async (who: TestUser, visibility: string | null) =>
        (
          await db
            .as(who)
            .query('select title from public.list_deals($1, 50, 0, null, $2) order by title', [
              filter.orgId,
              visibility,
            ])
        ).map((r) => r.title)
      // Ann is above Bob's role (and so holds deals.read too); Bob's private deal stays his.
      expect(await titles(ann, null)).toEqual([
        'Ann private',
        'Ann public',
        'Bob controlled',
        'Bob public',
      ])
      expect(await titles(ann, 'private')).toEqual(['Ann private'])
      expect(await titles(ann, 'controlled')).toEqual(['Bob controlled'])
      expect(await titles(ann, 'public')).toEqual(['Ann public', 'Bob public'])
      expect(await titles(bob, 'public')).toEqual(['Ann public', 'Bob public'])
      expect(await titles(bob, 'private')).toEqual(['Bob private'])
      expect(await titles(bob, 'secret')).toEqual([])
      expect(await titles(stranger, 'public')).toEqual([])
    })

    it('keeps self-service organizations off by default and creates one with its owner when allowed', async () => {
      const loner = await db.createUser({ email: 'loner@reads.test' })
      const setting = (key: string, value: boolean) =>
        db.query('update platform.platform_settings set value = $2 where key = $1', [
          key,
          JSON.stringify(value),
        ])
      const create = () =>
        db.as(loner).query(`select id, name from public.create_organization('Mine', 'A test')`)
      const disabled = {
        code: '42501',
        message: 'Creating organizations is disabled; ask the platform operator',
      }
      await expect(create()).rejects.toMatchObject(disabled)
      // Open sign-up alone does not let people create organizations.
      await setting('allow_self_service_signup', true)
      try {
        await expect(create()).rejects.toMatchObject(disabled)
      } finally {
        await setting('allow_self_service_signup', false)
      }
      await setting('allow_organization_creation', true)
      try {
        const [org] = await create()
        expect(org?.name).toBe('Mine')
        // SMTA's root role name, so `get_user_role(org) = 'super_admin'` keeps working.
        expect(
          await db
            .as(loner)
            .query('select name, role, role_label from public.list_my_organizations()'),
        ).toEqual([{ name: 'Mine', role: 'super_admin', role_label: 'Owner' }])
        expect(await db.as(loner).query('select public.get_user_role($1) as r', [org?.id])).toEqual(
          [{ r: 'super_admin' }],
        )
        await expect(
          db.as('anon').query(`select * from public.create_organization('X')`),
        ).rejects.toMatchObject({ code: '42501' })
      } finally {
        await setting('allow_organization_creation', false)
      }
    })

    it("reads and updates the caller's own profile and organization meta", async () => {
      await db
        .as(sam)
        .query(
          `select * from public.update_user_profile('Sam', 'Seller', null, 'Europe/Paris', 'fr')`,
        )
      expect(
        await db
          .as(sam)
          .query('select first_name, timezone, locale from public.get_user_profile()'),
      ).toEqual([{ first_name: 'Sam', timezone: 'Europe/Paris', locale: 'fr' }])
      const [meta] = await db
        .as(t.owner)
        .query(
          `select timezone, locale from public.update_organization_meta($1, null, '1 Main St', 'Europe/Berlin', 'de')`,
          [t.orgId],
        )
      expect(meta).toEqual({ timezone: 'Europe/Berlin', locale: 'de' })
      await expect(
        db.as(sam).query(`select * from public.update_organization_meta($1, null, 'x')`, [t.orgId]),
      ).rejects.toMatchObject({ code: '42501', message: 'Missing permission organization.update' })
    })
  },
)
