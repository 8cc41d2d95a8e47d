import {
  createTestDatabase,
  type TestDatabase,
  type TestUser,
} from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createRole, createTenant, type Tenant } from './factories.ts'

// The audit page's listing: paged, filtered, with the names a sentence needs. Values and record
// titles only for callers who can read the record now (as get_audit_log).
let db: TestDatabase
let t: Tenant
let ann: TestUser
let bob: TestUser
let auditor: TestUser
let salesRole: string
let dealId: string
let started: string

const name = (user: TestUser, first: string) =>
  db.as(user).query('select * from public.update_user_profile($1)', [first])
const entries = (actor: TestUser, args: Record<string, unknown> = {}) =>
  db.as(actor).query(
    `select actor_name, actor_email, target_table, target_label, action, changes, names
       from public.list_audit_entries(p_org_id => $1, p_limit => $2, p_offset => $3, p_actor_id => $4,
         p_target_table => $5, p_from => $6, p_to => $7)`,
    [
      t.orgId,
      args.limit ?? 50,
      args.offset ?? 0,
      args.actor ?? null,
      args.table ?? null,
      args.from ?? null,
      args.to ?? null,
    ],
  )

beforeAll(async () => {
  db = await createTestDatabase()
  t = await createTenant(db, 'Audited')
  await name(t.owner, 'Olive')
  ;[{ now: started }] = (await db.query('select now()::text as now')) as [{ now: string }]
  salesRole = await createRole(db, t, 'sales', t.rootRoleId, ['deals.create', 'deals.read'])
  const auditRole = await createRole(db, t, 'auditor', t.rootRoleId, ['audit.read'])
  ann = await addMember(db, t, salesRole, 'ann')
  bob = await addMember(db, t, salesRole, 'bob')
  auditor = await addMember(db, t, auditRole, 'auditor')
  await name(ann, 'Ann')
  await name(bob, 'Bob')
  const [deal] = await db
    .as(ann)
    .query(`select id from public.create_deal($1, 'Q3 renewal', 'private')`, [t.orgId])
  dealId = deal?.id
  await db
    .as(ann)
    .query(`select public.update_deal(p_id => $1, p_visibility => 'controlled')`, [dealId])
  await db
    .as(t.owner)
    .query('select public.remove_member_from_organization($1, $2)', [t.orgId, bob.id])
})
afterAll(() => db.close())

describe('list_audit_entries', () => {
  it('names the actor, the record and the values of a change for readers of the record', async () => {
    const [change] = await entries(t.owner, { table: 'app.deals', limit: 1 })
    expect(change).toEqual({
      actor_name: 'Ann',
      actor_email: ann.email,
      target_table: 'app.deals',
      target_label: 'Q3 renewal',
      action: 'update',
      changes: { visibility: { old: 'private', new: 'controlled' } },
      names: {},
    })
  })

  it('keeps the title and values of a record from auditors who cannot read it', async () => {
    expect(await entries(auditor, { table: 'app.deals' })).toEqual([
      expect.objectContaining({ action: 'update', target_label: null, changes: null, names: {} }),
      expect.objectContaining({ action: 'insert', target_label: null, changes: null, names: {} }),
    ])
  })

  it('names the member of a membership change and the roles it refers to', async () => {
    const [removal] = await entries(auditor, { table: 'core.memberships', limit: 1 })
    expect(removal).toEqual({
      actor_name: 'Olive',
      actor_email: t.owner.email,
      target_table: 'core.memberships',
      target_label: 'Bob',
      action: 'soft_delete',
      changes: { is_deleted: { old: false, new: true } },
      names: {},
    })
    const joins = await entries(auditor, { table: 'core.memberships', actor: ann.id })
    expect(joins).toEqual([
      expect.objectContaining({
        target_label: 'Ann',
        action: 'insert',
        names: expect.objectContaining({ [salesRole]: 'sales', [ann.id]: 'Ann' }),
      }),
    ])
  })

  it('filters by actor, target table and period, and pages', async () => {
    const byAnn = await entries(t.owner, { actor: ann.id })
    expect(byAnn.length).toBeGreaterThan(2)
    expect(new Set(byAnn.map((e) => e.actor_email))).toEqual(new Set([ann.email]))
    expect(await entries(t.owner, { from: '2999-01-01T00:00:00Z' })).toEqual([])
    const all = await entries(t.owner, { from: started })
    expect(await entries(t.owner, { to: started, table: 'app.deals' })).toEqual([])
    const page2 = await entries(t.owner, { from: started, limit: 2, offset: 2 })
    expect(page2).toEqual(all.slice(2, 4))
  })

  it('refuses bad filters and callers without audit.read', async () => {
    await expect(entries(t.owner, { table: 'deals; drop table x' })).rejects.toMatchObject({
      code: '22023',
      message: 'p_target_table must be a table name such as app.deals',
    })
    await expect(
      entries(t.owner, { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }),
    ).rejects.toMatchObject({
      code: '22023',
      message: 'The start of the period must not be after its end',
    })
    await expect(entries(t.owner, { limit: 500 })).rejects.toMatchObject({
      code: '22023',
      message: 'p_limit must be between 1 and 200',
    })
    await expect(entries(t.owner, { offset: -1 })).rejects.toMatchObject({
      code: '22023',
      message: 'p_offset must be between 0 and 100000',
    })
    await expect(entries(ann)).rejects.toMatchObject({
      code: '42501',
      message: 'Missing permission audit.read',
    })
    await expect(entries(bob)).rejects.toMatchObject({
      code: '42501',
      message: 'You are not a member of this organization',
    })
    await expect(
      db.as('anon').query('select * from public.list_audit_entries($1)', [t.orgId]),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'permission denied for function list_audit_entries',
    })
  })
})
