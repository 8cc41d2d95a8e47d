import {
  createTestDatabase,
  type TestDatabase,
  type TestUser,
} from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createRole, createTenant, type Tenant } from './factories.ts'

// Storage runs the row operation on storage.objects as the caller; these tests do the same.
let db: TestDatabase
let t: Tenant
let owner: TestUser
let reader: TestUser
let stranger: TestUser
let dealId: string
beforeAll(async () => {
  db = await createTestDatabase()
  t = await createTenant(db, 'Files')
  const rep = await createRole(db, t, 'rep', t.rootRoleId, ['deals.create', 'deals.read'])
  owner = await addMember(db, t, rep, 'owner')
  reader = await addMember(db, t, rep, 'reader')
  stranger = (await createTenant(db, 'Stranger')).owner
  const [deal] = await db
    .as(owner)
    .query(`select id from public.create_deal($1, 'with files', 'public')`, [t.orgId])
  dealId = deal?.id
})
afterAll(() => db.close())

const upload = (user: TestUser, name: string) =>
  db
    .as(user)
    .query(
      `insert into storage.objects (bucket_id, name, owner_id, metadata) values ('deals', $1, $2, '{"size": 3, "mimetype": "text/plain"}') returning name`,
      [name, user.id],
    )

describe('record-gated storage', () => {
  it('lets the deal owner upload, and records the file metadata', async () => {
    const name = `${t.orgId}/${dealId}/contract.pdf`
    expect(await upload(owner, name)).toEqual([{ name }])
    expect(
      await db.query(
        'select organization_id, record_table, record_id, file_type, file_size from core.organization_files where object_name = $1',
        [name],
      ),
    ).toEqual([
      {
        organization_id: t.orgId,
        record_table: 'app.deals',
        record_id: dealId,
        file_type: 'text/plain',
        file_size: '3',
      },
    ])
  })

  it('refuses uploads from members without update access and from other tenants', async () => {
    await expect(upload(reader, `${t.orgId}/${dealId}/sneaky.pdf`)).rejects.toMatchObject({
      code: '42501',
      message: 'new row violates row-level security policy for table "objects"',
    })
    await expect(upload(stranger, `${t.orgId}/${dealId}/sneaky.pdf`)).rejects.toMatchObject({
      code: '42501',
    })
  })

  it("cannot claim another tenant's file by putting its own organization in the path", async () => {
    const mine = await createTenant(db, 'Claimer')
    await expect(upload(mine.owner, `${mine.orgId}/${dealId}/x.pdf`)).rejects.toMatchObject({
      code: '42501',
    })
  })

  it.each([
    ['too few segments', () => `${t.orgId}/file.pdf`],
    ['too many segments', () => `${t.orgId}/${dealId}/a/b.pdf`],
    ['non-uuid ids', () => `acme/${dealId}/x.pdf`],
    ['dot-dot', () => `${t.orgId}/${dealId}/..`],
    ['empty file name', () => `${t.orgId}/${dealId}/`],
    ['upper-case ids', () => `${t.orgId.toUpperCase()}/${dealId}/x.pdf`],
    ['a longer second segment', () => `${t.orgId}/${dealId}x/file.pdf`],
    ['a backslash in the file name', () => `${t.orgId}/${dealId}/a\\b.pdf`],
    ['a control character in the file name', () => `${t.orgId}/${dealId}/a\u0001b.pdf`],
    ['a file name over 255 characters', () => `${t.orgId}/${dealId}/${'x'.repeat(256)}`],
  ])('refuses malformed names: %s', async (_label, name) => {
    await expect(upload(owner, name())).rejects.toMatchObject({ code: '42501' })
  })

  it('lets readers of the deal download and list, and nobody else', async () => {
    const name = `${t.orgId}/${dealId}/contract.pdf`
    expect(
      await db.as(reader).query('select name from storage.objects where name = $1', [name]),
    ).toEqual([{ name }])
    expect(
      await db.as(stranger).query('select name from storage.objects where name = $1', [name]),
    ).toEqual([])
    expect(await db.as('anon').query('select name from storage.objects')).toEqual([])
  })

  it('lets only update-holders remove files', async () => {
    const name = `${t.orgId}/${dealId}/contract.pdf`
    const remove = (user: TestUser) =>
      db.as(user).tx(async (q) => {
        await q(`set local storage.allow_delete_query = 'true'`)
        return q('delete from storage.objects where name = $1 returning name', [name])
      })
    expect(await remove(reader)).toEqual([])
    expect(await remove(owner)).toEqual([{ name }])
    expect(
      await db.query('select is_deleted from core.organization_files where object_name = $1', [
        name,
      ]),
    ).toEqual([{ is_deleted: true }])
  })

  it('closes the files of a deleted deal', async () => {
    const [deal] = await db
      .as(owner)
      .query(`select id from public.create_deal($1, 'short-lived')`, [t.orgId])
    const name = `${t.orgId}/${deal?.id}/notes.txt`
    await upload(owner, name)
    await db.as(owner).query('select public.delete_deal($1)', [deal?.id])
    expect(
      await db.as(owner).query('select name from storage.objects where name = $1', [name]),
    ).toEqual([])
    expect(
      await db.as('service_role').query('select name from rbac.orphaned_storage_objects()'),
    ).toContainEqual({ name })
  })

  it('follows the record: private files for the owner only, controlled ones also for roles above', async () => {
    const lead = await createRole(db, t, 'lead', t.rootRoleId, ['deals.create'])
    const agent = await createRole(db, t, 'agent', lead, ['deals.create'])
    const boss = await addMember(db, t, lead, 'boss')
    const writer = await addMember(db, t, agent, 'writer')
    const colleague = await addMember(db, t, agent, 'colleague')
    const names: Record<string, string> = {}
    for (const visibility of ['private', 'controlled']) {
      const [deal] = await db
        .as(writer)
        .query(`select id from public.create_deal($1, $2, $3)`, [t.orgId, visibility, visibility])
      names[visibility] = `${t.orgId}/${deal?.id}/${visibility}.txt`
      expect(await upload(writer, names[visibility] as string)).toEqual([
        { name: names[visibility] },
      ])
    }
    const visible = async (user: TestUser) =>
      (
        await db
          .as(user)
          .query('select name from storage.objects where name = any ($1) order by name', [
            Object.values(names),
          ])
      ).map((r) => r.name)
    expect(await visible(writer)).toEqual([names.controlled, names.private].sort())
    expect(await visible(boss)).toEqual([names.controlled])
    expect(await visible(colleague)).toEqual([])
    expect(await visible(t.owner)).toEqual([names.controlled])
    // Overwriting needs update access: the role above may, a colleague may not.
    const overwrite = (user: TestUser, name: string) =>
      db
        .as(user)
        .query(`update storage.objects set metadata = '{}' where name = $1 returning name`, [name])
    expect(await overwrite(boss, names.controlled as string)).toEqual([{ name: names.controlled }])
    expect(await overwrite(colleague, names.controlled as string)).toEqual([])
    expect(await overwrite(boss, names.private as string)).toEqual([])
  })

  it('checks a listing with one set per statement: no function call per object', async () => {
    await db.query(
      `insert into storage.objects (bucket_id, name, owner_id, metadata)
       select 'deals', $1 || '/' || $2 || '/bulk-' || g || '.txt', $3, '{}' from generate_series(1, 2000) g`,
      [t.orgId, dealId, owner.id],
    )
    await db.query('analyze storage.objects')
    const plan = await db.as(reader).tx(async (q) => {
      const rows = await q(
        `explain (analyze, verbose, format json) select count(*) from storage.objects where bucket_id = 'deals' and name like $1`,
        [`${t.orgId}/%`],
      )
      return JSON.stringify(rows[0]?.['QUERY PLAN'])
    })
    const subplans = [...plan.matchAll(/"Subplan Name":"SubPlan \d+"[^}]*?"Actual Loops":(\d+)/g)]
    expect(subplans.length).toBeGreaterThanOrEqual(1)
    for (const [, loops] of subplans) expect(Number(loops)).toBe(1)
    const filter = /"Filter":"([^"]*)"/.exec(plan)?.[1] ?? ''
    expect(filter).toMatch(/hashed SubPlan/)
    expect(filter).not.toMatch(/storage_object_access|parse_object_name/)
    const [count] = await db
      .as(reader)
      .query(
        `select count(*)::int as n from storage.objects where bucket_id = 'deals' and name like $1`,
        [`${t.orgId}/${dealId}/bulk-%`],
      )
    expect(count).toEqual({ n: 2000 })
  })

  it('keeps every function the storage policies call parallel safe, so a listing can scan in parallel', async () => {
    // One parallel-unsafe function in any policy of storage.objects keeps every member's listing
    // of every bucket serial, while the service role's scan runs in parallel.
    const functions = await db.query(
      `select distinct p.oid::regprocedure::text as fn, p.proparallel
       from pg_catalog.pg_policy pol
       join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_policy'::regclass and d.objid = pol.oid
       join pg_catalog.pg_proc p on d.refclassid = 'pg_catalog.pg_proc'::regclass and d.refobjid = p.oid
       where pol.polrelid = 'storage.objects'::regclass
       order by 1`,
    )
    expect(functions.map((f) => f.fn)).toContain('rbac.storage_record_keys(text)')
    expect(functions.filter((f) => f.proparallel !== 's')).toEqual([])
  })
})
