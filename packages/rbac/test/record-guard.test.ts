import {
  createTestDatabase,
  type TestDatabase,
  type TestUser,
} from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createRole, createTenant, type Tenant } from './factories.ts'

// rbac.guard_record on a record table of an app's own (not app.deals): the engine's write
// rules come with one trigger, and its messages name the record. RLS is left off this table on
// purpose, so every refusal below comes from the guard alone.
let db: TestDatabase
let t: Tenant
let lead: TestUser
let rep: TestUser
let repRoleId: string
beforeAll(async () => {
  db = await createTestDatabase()
  t = await createTenant(db, 'Guarded')
  const leadRole = await createRole(db, t, 'lead', t.rootRoleId)
  repRoleId = await createRole(db, t, 'rep', leadRole)
  lead = await addMember(db, t, leadRole, 'lead')
  rep = await addMember(db, t, repRoleId, 'rep')
  await db.query(`
    create table app.notes (
      id uuid primary key default gen_random_uuid(),
      organization_id uuid not null,
      body text not null,
      visibility text not null default 'private',
      owner_id uuid,
      owner_role_id uuid,
      is_deleted boolean not null default false
    );
    grant select, insert, update on app.notes to authenticated;
    create trigger notes_guard before insert or update on app.notes
      for each row execute function rbac.guard_record('notes', 'note');
    create table app.unnamed (like app.notes including all);
    grant select, insert, update on app.unnamed to authenticated;
    create trigger unnamed_guard before insert or update on app.unnamed
      for each row execute function rbac.guard_record();`)
})
afterAll(() => db.close())

const insertNote = async (author: TestUser, visibility: string) => {
  const [note] = await db.as(author).query<{ id: string; owner_id: string; owner_role_id: string }>(
    `insert into app.notes (organization_id, body, visibility, owner_id, owner_role_id)
       values ($1, 'hello', $2, $3, $3) returning id, owner_id, owner_role_id`,
    [t.orgId, visibility, t.owner.id],
  )
  return note as { id: string; owner_id: string; owner_role_id: string }
}
const update = (actor: TestUser, id: string, set: string) =>
  db.as(actor).query(`update app.notes set ${set} where id = $1 returning id`, [id])

describe('rbac.guard_record', () => {
  it('stamps the owner and owner role from the caller, whatever the input says', async () => {
    const note = await insertNote(rep, 'private')
    expect(note).toMatchObject({ owner_id: rep.id, owner_role_id: repRoleId })
  })

  it('keeps the organization, owner and owner role fixed, naming the record', async () => {
    const note = await insertNote(rep, 'private')
    await expect(update(rep, note.id, `owner_id = '${lead.id}'`)).rejects.toMatchObject({
      code: 'P0001',
      message: 'The organization, owner and owner role of a note cannot be changed',
    })
  })

  it('lets only the owner change a private record, and someone above the owner a controlled one', async () => {
    const hidden = await insertNote(rep, 'private')
    await expect(update(lead, hidden.id, `body = 'edited'`)).rejects.toMatchObject({
      code: '42501',
      message: 'You cannot change this note',
    })
    expect(await update(rep, hidden.id, `body = 'edited'`)).toHaveLength(1)

    const shared = await insertNote(rep, 'controlled')
    expect(await update(lead, shared.id, `body = 'edited by lead'`)).toHaveLength(1)
    await expect(
      update(rep, (await insertNote(lead, 'controlled')).id, `body = 'x'`),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'You cannot change this note',
    })
  })

  it('needs delete access for a soft delete, and the owner or someone above for visibility', async () => {
    const note = await insertNote(rep, 'public')
    await expect(update(lead, note.id, 'is_deleted = true')).rejects.toMatchObject({
      code: '42501',
      message: 'You cannot delete this note',
    })
    const mine = await insertNote(lead, 'public')
    await expect(update(rep, mine.id, `visibility = 'private'`)).rejects.toMatchObject({
      code: '42501',
      message: "Only the owner or someone above the owner's role can change the visibility",
    })
    const below = await insertNote(rep, 'controlled')
    expect(await update(lead, below.id, `visibility = 'private'`)).toHaveLength(1)
    expect(
      await update(lead, (await insertNote(rep, 'controlled')).id, 'is_deleted = true'),
    ).toHaveLength(1)
  })

  it('refuses to run without the permission resource', async () => {
    await expect(
      db
        .as(rep)
        .query(`insert into app.unnamed (organization_id, body) values ($1, 'x')`, [t.orgId]),
    ).rejects.toMatchObject({
      code: '22023',
      message: 'rbac.guard_record needs the permission resource as its first argument',
    })
  })
})
