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
})
