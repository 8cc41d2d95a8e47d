import { createTestDatabase, type TestDatabase } from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createRole, createTenant, type Tenant } from './factories.ts'

describe.each(['supabase', 'payload'] as const)(
  'files, units and platform functions (%s)',
  (adapter) => {
    let db: TestDatabase
    let t: Tenant
    let reader: Awaited<ReturnType<typeof addMember>>
    beforeAll(async () => {
      db = await createTestDatabase({ adapter })
      t = await createTenant(db, 'Files')
      reader = await addMember(db, t, await createRole(db, t, 'reader', t.rootRoleId, []), 'reader')
    })
    afterAll(() => db.close())

    it('registers, reads, updates and soft-deletes file metadata with files.manage', async () => {
      const [file] = await db
        .as(t.owner)
        .query('select id, file_url from public.create_file($1, $2, $3, $4)', [
          t.orgId,
          'https://cdn.example.com/a.pdf',
          'application/pdf',
          1234,
        ])
      expect(file?.file_url).toBe('https://cdn.example.com/a.pdf')
      await expect(
        db
          .as(t.owner)
          .query('select * from public.create_file($1, $2, $3)', [t.orgId, 'ftp://nope', 'x']),
      ).rejects.toMatchObject({
        code: '22023',
        message: 'The file URL must start with http:// or https://',
      })
      await expect(
        db
          .as(reader)
          .query('select * from public.create_file($1, $2, $3)', [
            t.orgId,
            'https://x.test/a',
            'x',
          ]),
      ).rejects.toMatchObject({ code: '42501', message: 'Missing permission files.manage' })
      const [updated] = await db
        .as(t.owner)
        .query('select file_size from public.update_file_metadata($1, $2, $3)', [
          file?.id,
          '{"pages": 3}',
          99,
        ])
      expect(updated).toEqual({ file_size: '99' })
      expect(
        (await db.as(reader).query('select id from public.get_file($1)', [file?.id])).length,
      ).toBe(1)
      expect(
        (await db.as(reader).query('select id from public.list_files($1)', [t.orgId])).length,
      ).toBe(1)
      await expect(
        db.as(reader).query('select public.delete_file($1)', [file?.id]),
      ).rejects.toMatchObject({ code: '42501' })
      await db.as(t.owner).query('select public.delete_file($1)', [file?.id])
      expect(await db.as(reader).query('select id from public.list_files($1)', [t.orgId])).toEqual(
        [],
      )
      expect(
        await db
          .as('service_role')
          .query('select is_deleted from core.organization_files where id = $1', [file?.id]),
      ).toEqual([{ is_deleted: true }])
    })

    it('updates units with units.manage only', async () => {
      const [unit] = await db
        .as(t.owner)
        .query('select id from public.create_unit($1, $2)', [t.orgId, 'Ops'])
      const [renamed] = await db
        .as(t.owner)
        .query('select name from public.update_unit($1, $2)', [unit?.id, 'Operations'])
      expect(renamed).toEqual({ name: 'Operations' })
      await expect(
        db.as(reader).query('select * from public.update_unit($1, $2)', [unit?.id, 'X']),
      ).rejects.toMatchObject({
        code: '42501',
        message: 'Missing permission units.manage',
      })
      expect(await db.as(reader).query('select name from public.get_unit($1)', [unit?.id])).toEqual(
        [{ name: 'Operations' }],
      )
    })

    it("lets any member read their own organization's plan and feature flags, and nobody else", async () => {
      expect(
        await db
          .as(reader)
          .query('select plan, source, status, features from public.get_organization_plan($1)', [
            t.orgId,
          ]),
      ).toEqual([{ plan: 'free', source: 'free', status: 'active', features: {} }])
      await db
        .as('service_role')
        .query(`select public.platform_set_subscription_override($1, 'pro', '{"seats": 50}')`, [
          t.orgId,
        ])
      await db.as('service_role').query(`select public.platform_set_feature_flag('reports', false)`)
      await db
        .as('service_role')
        .query(`select public.platform_set_organization_feature($1, 'reports', true)`, [t.orgId])
      expect(
        await db
          .as(reader)
          .query('select plan, source, features from public.get_organization_plan($1)', [t.orgId]),
      ).toEqual([{ plan: 'pro', source: 'override', features: { seats: 50 } }])
      expect(
        await db
          .as(reader)
          .query(
            `select key, enabled from public.get_organization_features($1) where key = 'reports'`,
            [t.orgId],
          ),
      ).toEqual([{ key: 'reports', enabled: true }])
      const stranger = (await createTenant(db, 'Strangers')).owner
      for (const fn of ['get_organization_plan', 'get_organization_features']) {
        await expect(
          db.as(stranger).query(`select * from public.${fn}($1)`, [t.orgId]),
        ).rejects.toMatchObject({
          code: '42501',
          message: 'You are not a member of this organization',
        })
        await expect(
          db.as('anon').query(`select * from public.${fn}($1)`, [t.orgId]),
        ).rejects.toMatchObject({
          code: '42501',
          message: `permission denied for function ${fn}`,
        })
      }
      // Stranger's own organization stays free: the override is per organization.
      expect(
        await db
          .as(stranger)
          .query(
            'select plan from public.get_organization_plan((select organization_id from core.memberships where user_id = $1))',
            [stranger.id],
          ),
      ).toEqual([{ plan: 'free' }])
    })

    it('gives platform admins the operator functions and refuses everyone else', async () => {
      await expect(
        db.as(t.owner).query('select * from public.platform_list_organizations()'),
      ).rejects.toMatchObject({
        code: '42501',
        message: 'Platform admins only',
      })
      await expect(
        db.as(t.owner).query('select public.platform_set_admin($1, true)', [t.owner.id]),
      ).rejects.toMatchObject({
        code: '42501',
        message: 'Only the service role can appoint platform admins',
      })
      await db.as('service_role').query('select public.platform_set_admin($1, true)', [reader.id])
      expect(
        (await db.as(reader).query('select slug from public.platform_list_organizations()')).map(
          (r) => r.slug,
        ),
      ).toContain(t.slug)
      await db.as(reader).query(`select public.platform_set_setting('maintenance', 'true')`)
      expect(
        await db
          .as(reader)
          .query(`select value from public.platform_get_settings() where key = 'maintenance'`),
      ).toEqual([{ value: true }])
      const [tenant] = await db
        .as(reader)
        .query(`select public.provision_tenant('By Admin', 'by-admin', 'a@admin.test') as t`)
      expect(tenant?.t.organization_id).toBeTypeOf('string')
      expect(
        await db.query(
          'select action, target_organization_id from platform.platform_action_logs where actor_id = $1 order by created_at',
          [reader.id],
        ),
      ).toEqual([
        { action: 'set_setting', target_organization_id: null },
        { action: 'provision_tenant', target_organization_id: tenant?.t.organization_id },
      ])
    })
  },
)
