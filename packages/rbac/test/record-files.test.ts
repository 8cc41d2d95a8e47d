import {
  createTestDatabase,
  type TestDatabase,
  type TestUser,
} from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createRole, createTenant, type Tenant } from './factories.ts'

// Files and audit entries about a record follow the record's access (SPEC §4.3): the owner of a
// private deal sees its files and changed values; everyone else in the organization sees neither
// (not even in lists), whatever else they may read.
describe.each(['supabase', 'payload'] as const)(
  'file metadata and audit values follow record access (%s)',
  (adapter) => {
    let db: TestDatabase
    let t: Tenant
    let alice: TestUser // rep, owns the deals
    let bob: TestUser // rep: reads public deals, cannot update them
    let ana: TestUser // analyst: audit.read and deals.read
    let aud: TestUser // auditor: audit.read only
    let outsider: TestUser
    const deal: Record<'secret' | 'open', string> = { secret: '', open: '' }
    const file: Record<'secret' | 'open' | 'loose', string> = { secret: '', open: '', loose: '' }
    beforeAll(async () => {
      db = await createTestDatabase({ adapter })
      t = await createTenant(db, 'Records')
      const rep = await createRole(db, t, 'rep', t.rootRoleId, ['deals.create', 'deals.read'])
      const analyst = await createRole(db, t, 'analyst', t.rootRoleId, ['audit.read', 'deals.read'])
      const auditor = await createRole(db, t, 'auditor', t.rootRoleId, ['audit.read'])
      alice = await addMember(db, t, rep, 'alice')
      bob = await addMember(db, t, rep, 'bob')
      ana = await addMember(db, t, analyst, 'ana')
      aud = await addMember(db, t, auditor, 'aud')
      outsider = (await createTenant(db, 'Outside')).owner
      for (const [key, visibility] of [
        ['secret', 'private'],
        ['open', 'public'],
      ] as const) {
        const [row] = await db
          .as(alice)
          .query('select id from public.create_deal($1, $2, $3, 42000)', [
            t.orgId,
            `${key} merger`,
            visibility,
          ])
        deal[key] = row?.id
        await db.as(alice).query('select public.update_deal($1, $2)', [row?.id, `${key} merger v2`])
        // What the storage trigger records for an object of a bound bucket.
        const [f] = await db.query(
          `insert into core.organization_files (organization_id, bucket_id, object_name, record_table, record_id, file_type, file_size)
           values ($1::uuid, 'deals', $1::text || '/' || $2::text || '/' || $3, 'app.deals', $2::uuid, 'application/pdf', 777)
           returning id`,
          [t.orgId, row?.id, `${key}-terms.pdf`],
        )
        file[key] = f?.id
      }
      const [loose] = await db
        .as(t.owner)
        .query('select id from public.create_file($1, $2, $3)', [
          t.orgId,
          'https://cdn.example.com/logo.png',
          'image/png',
        ])
      file.loose = loose?.id
    })
    afterAll(() => db.close())

    const listed = async (user: TestUser) =>
      (
        await db
          .as(user)
          .query('select id, object_name, record_id from public.list_files($1)', [t.orgId])
      ).map((r) => r.id)

    it('lists only the files of records the caller can read, and unbound files to members', async () => {
      expect((await listed(alice)).sort()).toEqual([file.secret, file.open, file.loose].sort())
      expect((await listed(bob)).sort()).toEqual([file.open, file.loose].sort())
      expect(await listed(aud)).toEqual([file.loose])
      expect(await listed(outsider)).toEqual([])
      const rows = JSON.stringify(
        await db.as(bob).query('select * from public.list_files($1)', [t.orgId]),
      )
      expect(rows).not.toContain('secret-terms.pdf')
      expect(rows).not.toContain(deal.secret)
    })

    it('gets a file only when its record is readable', async () => {
      expect(
        await db.as(alice).query('select object_name from public.get_file($1)', [file.secret]),
      ).toEqual([{ object_name: `${t.orgId}/${deal.secret}/secret-terms.pdf` }])
      expect(await db.as(bob).query('select * from public.get_file($1)', [file.secret])).toEqual([])
      expect(await db.as(aud).query('select * from public.get_file($1)', [file.open])).toEqual([])
      expect(
        await db.as(bob).query('select record_id from public.get_file($1)', [file.open]),
      ).toEqual([{ record_id: deal.open }])
    })

    it('never shows bound files through the table itself', async () => {
      const ids = (await db.as(bob).query('select id from core.organization_files')).map(
        (r) => r.id,
      )
      expect(ids).not.toContain(file.secret)
      expect(ids).toContain(file.loose)
    })

    it('changes or removes metadata of a bound file only with update access to its record', async () => {
      for (const call of [
        'select * from public.update_file_metadata($1, $2)',
        'select public.delete_file($1)',
      ]) {
        const params = (id: string) => (call.includes('update') ? [id, '{"pages": 1}'] : [id])
        await expect(db.as(bob).query(call, params(file.secret))).rejects.toMatchObject({
          code: 'PT404',
          message: 'File not found',
        })
        await expect(db.as(bob).query(call, params(file.open))).rejects.toMatchObject({
          code: '42501',
          message: 'You cannot change the files of this record',
        })
        await expect(db.as(outsider).query(call, params(file.open))).rejects.toMatchObject({
          code: 'PT404',
          message: 'File not found',
        })
      }
      const [updated] = await db
        .as(alice)
        .query('select file_specs from public.update_file_metadata($1, $2)', [
          file.open,
          '{"pages": 4}',
        ])
      expect(updated).toEqual({ file_specs: { pages: 4 } })
      await db.as(alice).query('select public.delete_file($1)', [file.open])
      expect(await listed(bob)).toEqual([file.loose])
    })

    it("shows an audit entry's values only to callers who can read its record", async () => {
      const entries = async (user: TestUser, target: string) =>
        db.as(user).query(
          `select action, summary, metadata, changes from public.get_audit_log($1, 1000)
             where target_id = $2 order by action`,
          [t.orgId, target],
        )
      const secret = await entries(ana, deal.secret)
      expect(secret.map((e) => e.action)).toEqual(['insert', 'update'])
      for (const entry of secret) {
        expect(entry.metadata).toBeNull()
        expect(entry.changes).toBeNull()
        expect(entry.summary).toBe(`${entry.action} app.deals`)
      }
      expect(JSON.stringify(secret)).not.toContain('merger')
      const secretFile = await entries(ana, file.secret)
      expect(secretFile).toEqual([
        {
          action: 'insert',
          summary: 'insert core.organization_files',
          metadata: null,
          changes: null,
        },
      ])
      const open = await entries(ana, deal.open)
      const update = open.find((e) => e.action === 'update')
      expect(update?.metadata).toEqual({ title: { old: 'open merger', new: 'open merger v2' } })
      expect(update?.changes).toEqual(update?.metadata)
      expect(update?.summary).toBe('update app.deals: title')
      // Without deals.read the public deal is not readable either.
      expect((await entries(aud, deal.open)).every((e) => e.metadata === null)).toBe(true)
      // Entries that are not about records keep their values.
      expect(
        (
          await db
            .as(aud)
            .query(
              `select metadata from public.get_audit_log($1, 1000) where target_table = 'core.roles' and action = 'insert'`,
              [t.orgId],
            )
        ).every((e) => e.metadata !== null),
      ).toBe(true)
    })
  },
)
