import {
  createTestDatabase,
  type TestDatabase,
  type TestUser,
} from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createRole, createTenant, type Tenant } from './factories.ts'

// Settings of an organization: its slug and profile, its logo in the public `logos` bucket
// (written by holders of organization.update), and people's pictures in `avatars`.
// Storage runs the row operation on storage.objects as the caller; these tests do the same.
let db: TestDatabase
let t: Tenant
let editor: TestUser
let member: TestUser
let stranger: TestUser

const put = (user: TestUser, bucket: string, name: string) =>
  db.as(user).query(
    `insert into storage.objects (bucket_id, name, owner_id, metadata)
       values ($1, $2, $3, '{"size": 120, "mimetype": "image/png"}') returning name`,
    [bucket, name, user.id],
  )
// Storage deletes as the caller with its own permission to delete rows (the delete protection).
const remove = (user: TestUser, bucket: string, name: string) =>
  db.as(user).tx(async (q) => {
    await q(`set local storage.allow_delete_query = 'true'`)
    return q('delete from storage.objects where bucket_id = $1 and name = $2 returning name', [
      bucket,
      name,
    ])
  })
const profile = (user: TestUser) =>
  db
    .as(user)
    .query(
      'select slug, name, logo_bucket_id, logo_object_name from public.get_organization_profile($1)',
      [t.orgId],
    )

beforeAll(async () => {
  db = await createTestDatabase()
  t = await createTenant(db, 'Settings')
  editor = await addMember(
    db,
    t,
    await createRole(db, t, 'editor', t.rootRoleId, ['organization.update']),
    'editor',
  )
  member = await addMember(db, t, await createRole(db, t, 'member', t.rootRoleId), 'member')
  stranger = (await createTenant(db, 'Elsewhere')).owner
})
afterAll(() => db.close())

describe('organization slug', () => {
  it('lets holders of organization.update change it, lower-cased', async () => {
    const slug = `${t.slug}-renamed`
    expect(
      await db
        .as(editor)
        .query('select slug from public.update_organization_slug($1, $2)', [
          t.orgId,
          ` ${slug.toUpperCase()} `,
        ]),
    ).toEqual([{ slug }])
    expect(await profile(member)).toEqual([
      { slug, name: 'Settings', logo_bucket_id: null, logo_object_name: null },
    ])
    t.slug = slug
  })

  it('refuses a taken slug, a malformed one and callers without the permission', async () => {
    const other = await createTenant(db, 'Taken')
    await expect(
      db
        .as(editor)
        .query('select * from public.update_organization_slug($1, $2)', [t.orgId, other.slug]),
    ).rejects.toMatchObject({
      code: '23505',
      message: `An organization with the slug "${other.slug}" already exists`,
    })
    await expect(
      db
        .as(editor)
        .query('select * from public.update_organization_slug($1, $2)', [t.orgId, '-bad slug-']),
    ).rejects.toMatchObject({
      code: '22023',
      message:
        'Invalid slug: use 1 to 63 lower-case letters, digits and dashes, starting and ending with a letter or digit',
    })
    await expect(
      db
        .as(member)
        .query('select * from public.update_organization_slug($1, $2)', [t.orgId, 'mine-now']),
    ).rejects.toMatchObject({ code: '42501', message: 'Missing permission organization.update' })
    expect(await profile(stranger)).toEqual([])
  })
})

describe('organization logos', () => {
  it('lets an editor upload a logo and make it the organization’s, replacing the previous one', async () => {
    const first = `${t.orgId}/first.png`
    const second = `${t.orgId}/second.png`
    expect(await put(editor, 'logos', first)).toEqual([{ name: first }])
    expect(
      await db
        .as(editor)
        .query(
          'select object_name, previous_object_name from public.set_organization_logo($1, $2)',
          [t.orgId, first],
        ),
    ).toEqual([{ object_name: first, previous_object_name: null }])
    await put(editor, 'logos', second)
    expect(
      await db
        .as(editor)
        .query(
          'select object_name, previous_object_name from public.set_organization_logo($1, $2)',
          [t.orgId, second],
        ),
    ).toEqual([{ object_name: second, previous_object_name: first }])
    expect(await profile(member)).toEqual([
      expect.objectContaining({ logo_bucket_id: 'logos', logo_object_name: second }),
    ])
    expect(await remove(editor, 'logos', first)).toEqual([{ name: first }])
    expect(
      await db.query(
        'select object_name, is_deleted from core.organization_files where bucket_id = $1 order by created_at',
        ['logos'],
      ),
    ).toEqual([
      { object_name: first, is_deleted: true },
      { object_name: second, is_deleted: false },
    ])
  })

  it('refuses uploads and removals by members without the permission and by other tenants', async () => {
    await expect(put(member, 'logos', `${t.orgId}/mine.png`)).rejects.toMatchObject({
      code: '42501',
      message: 'new row violates row-level security policy for table "objects"',
    })
    await expect(put(stranger, 'logos', `${t.orgId}/theirs.png`)).rejects.toMatchObject({
      code: '42501',
    })
    expect(await remove(member, 'logos', `${t.orgId}/second.png`)).toEqual([])
    expect(await remove(stranger, 'logos', `${t.orgId}/second.png`)).toEqual([])
    await expect(put(editor, 'logos', `${t.orgId}/nested/logo.png`)).rejects.toMatchObject({
      code: '42501',
    })
    await expect(put(editor, 'logos', 'not-an-org/logo.png')).rejects.toMatchObject({
      code: '42501',
    })
  })

  it('refuses a logo outside the organization’s folder, a missing file and members without the permission', async () => {
    const elsewhere = await createTenant(db, 'Other logos')
    const theirs = `${elsewhere.orgId}/logo.png`
    await put(elsewhere.owner, 'logos', theirs)
    await expect(
      db.as(editor).query('select * from public.set_organization_logo($1, $2)', [t.orgId, theirs]),
    ).rejects.toMatchObject({
      code: '22023',
      message: "A logo must be stored in the logos bucket under the organization's folder",
    })
    await expect(
      db
        .as(editor)
        .query('select * from public.set_organization_logo($1, $2)', [
          t.orgId,
          `${t.orgId}/gone.png`,
        ]),
    ).rejects.toMatchObject({
      code: '22023',
      message: `Upload the logo first: there is no file ${t.orgId}/gone.png in the logos bucket`,
    })
    await expect(
      db.as(member).query('select * from public.set_organization_logo($1, null)', [t.orgId]),
    ).rejects.toMatchObject({ code: '42501', message: 'Missing permission organization.update' })
  })

  it('removes the logo with null', async () => {
    expect(
      await db
        .as(editor)
        .query(
          'select logo_file_id, previous_object_name from public.set_organization_logo($1, null)',
          [t.orgId],
        ),
    ).toEqual([{ logo_file_id: null, previous_object_name: `${t.orgId}/second.png` }])
    expect(await profile(member)).toEqual([
      expect.objectContaining({ logo_bucket_id: null, logo_object_name: null }),
    ])
  })
})

describe('avatars', () => {
  it('lets each person write their own folder only', async () => {
    const own = `${member.id}/me.png`
    expect(await put(member, 'avatars', own)).toEqual([{ name: own }])
    await expect(put(member, 'avatars', `${editor.id}/me.png`)).rejects.toMatchObject({
      code: '42501',
      message: 'new row violates row-level security policy for table "objects"',
    })
    expect(await remove(editor, 'avatars', own)).toEqual([])
    expect(await remove(member, 'avatars', own)).toEqual([{ name: own }])
  })

  it('are public buckets with an image type list and a size limit', async () => {
    expect(
      await db.query(
        `select id, public, file_size_limit, allowed_mime_types from storage.buckets
         where id in ('logos', 'avatars') order by id`,
      ),
    ).toEqual([
      {
        id: 'avatars',
        public: true,
        file_size_limit: '1048576',
        allowed_mime_types: ['image/png', 'image/jpeg', 'image/webp', 'image/gif'],
      },
      {
        id: 'logos',
        public: true,
        file_size_limit: '1048576',
        allowed_mime_types: ['image/png', 'image/jpeg', 'image/webp', 'image/gif'],
      },
    ])
  })
})
