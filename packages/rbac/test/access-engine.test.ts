import {
  createTestDatabase,
  type TestDatabase,
  type TestUser,
} from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createRole, createTenant, type Tenant } from './factories.ts'

// Owner ─ lead ─ rep        plus a reader role beside lead holding deals.read/update/delete
let db: TestDatabase
let t: Tenant
const people: Record<string, TestUser> = {}
const deals: Record<string, string> = {}
beforeAll(async () => {
  db = await createTestDatabase()
  t = await createTenant(db, 'Engine')
  const lead = await createRole(db, t, 'lead', t.rootRoleId, ['deals.create'])
  const rep = await createRole(db, t, 'rep', lead, ['deals.create'])
  const auditor = await createRole(db, t, 'auditor', t.rootRoleId, [
    'deals.read',
    'deals.update',
    'deals.delete',
  ])
  people.lead = await addMember(db, t, lead, 'lead')
  people.rep = await addMember(db, t, rep, 'rep')
  people.peer = await addMember(db, t, rep, 'peer')
  people.auditor = await addMember(db, t, auditor, 'auditor')
  people.owner = t.owner
  const outsider = await createTenant(db, 'Outside')
  people.outsider = outsider.owner
  for (const visibility of ['private', 'controlled', 'public']) {
    const [deal] = await db
      .as(people.rep as TestUser)
      .query('select id from public.create_deal($1, $2, $3)', [
        t.orgId,
        `${visibility} deal`,
        visibility,
      ])
    deals[visibility] = deal?.id
  }
})
afterAll(() => db.close())

const canRead = async (who: string, visibility: string) =>
  (
    await db
      .as(people[who] as TestUser)
      .query('select id from app.deals where id = $1', [deals[visibility]])
  ).length === 1

const canUpdate = async (who: string, visibility: string) =>
  db
    .as(people[who] as TestUser)
    .tx(async (q) => {
      const rows = await q('update app.deals set title = title where id = $1 returning id', [
        deals[visibility],
      ])
      throw Object.assign(new Error('rollback'), { rows: rows.length })
    })
    .catch((error: { rows?: number; code?: string }) => (error.rows ?? 0) === 1)

const engine = async (who: string, visibility: string, operation: string) => {
  const [row] = await db.as(people[who] as TestUser).query(
    `select rbac.check_resource_access(d.organization_id, d.visibility, d.owner_id, d.owner_role_id, 'deals', $2) as ok
     from app.deals d where d.id = $1`,
    [deals[visibility], operation],
  )
  return row?.ok ?? false
}

// SPEC §4.3, every cell: who may read / update each visibility.
const table: [string, string, boolean][] = [
  ['rep', 'private', true],
  ['peer', 'private', false],
  ['lead', 'private', false],
  ['owner', 'private', false],
  ['auditor', 'private', false],
  ['rep', 'controlled', true],
  ['peer', 'controlled', false],
  ['lead', 'controlled', true],
  ['owner', 'controlled', true],
  ['auditor', 'controlled', false],
  ['rep', 'public', true],
  ['peer', 'public', false],
  ['lead', 'public', false],
  ['owner', 'public', true],
  ['auditor', 'public', true],
  ['outsider', 'public', false],
  ['outsider', 'controlled', false],
]

describe('access engine', () => {
  it.each(table)(
    '%s reads a %s deal: %s (policy and engine agree)',
    async (who, visibility, expected) => {
      expect(await canRead(who, visibility)).toBe(expected)
      expect(await engine(who, visibility, 'read')).toBe(expected)
    },
  )

  it.each(table)('%s updates a %s deal: %s', async (who, visibility, expected) => {
    expect(await canUpdate(who, visibility)).toBe(expected)
    expect(await engine(who, visibility, 'update')).toBe(expected)
  })

  it('stamps owner and owner role from the caller, never from input', async () => {
    const [deal] = await db.as(people.rep as TestUser).query(
      `insert into app.deals (organization_id, title, owner_id, owner_role_id) values ($1, 'forged', $2, $3)
       returning owner_id, owner_role_id`,
      [t.orgId, people.rep?.id, t.rootRoleId],
    )
    const [membership] = await db.query('select role_id from core.memberships where user_id = $1', [
      people.rep?.id,
    ])
    expect(deal).toEqual({ owner_id: people.rep?.id, owner_role_id: membership?.role_id })
  })

  it('refuses creation without deals.create and in another organization', async () => {
    await expect(
      db.as(people.auditor as TestUser).query(`select public.create_deal($1, 'x')`, [t.orgId]),
    ).rejects.toMatchObject({ code: '42501', message: 'Missing permission deals.create' })
    await expect(
      db.as(people.outsider as TestUser).query(`select public.create_deal($1, 'x')`, [t.orgId]),
    ).rejects.toMatchObject({ code: '42501', message: 'You are not a member of this organization' })
  })

  it('keeps organization, owner and owner role immutable', async () => {
    await expect(
      db
        .as(people.rep as TestUser)
        .query('update app.deals set owner_id = $2 where id = $1', [
          deals.private,
          people.peer?.id,
        ]),
    ).rejects.toMatchObject({
      code: 'P0001',
      message: 'The organization, owner and owner role of a deal cannot be changed',
    })
  })

  it('lets a holder of deals.update edit a public deal but not hide it', async () => {
    await db
      .as(people.auditor as TestUser)
      .query(`select public.update_deal($1, 'renamed by auditor')`, [deals.public])
    await expect(
      db
        .as(people.auditor as TestUser)
        .query(`select public.update_deal($1, null, null, null, 'private')`, [deals.public]),
    ).rejects.toMatchObject({
      code: '42501',
      message: "Only the owner or someone above the owner's role can change the visibility",
    })
  })

  it('soft-deletes: the deal vanishes for members, stays for the service role, and is audited', async () => {
    const [deal] = await db
      .as(people.rep as TestUser)
      .query(`select id from public.create_deal($1, 'to delete', 'public')`, [t.orgId])
    await expect(
      db.as(people.peer as TestUser).query('select public.delete_deal($1)', [deal?.id]),
    ).rejects.toMatchObject({
      code: 'PT404',
    })
    await db.as(people.rep as TestUser).query('select public.delete_deal($1)', [deal?.id])
    expect(
      await db
        .as(people.rep as TestUser)
        .query('select id from app.deals where id = $1', [deal?.id]),
    ).toEqual([])
    expect(
      await db
        .as('service_role')
        .query('select is_deleted, deleted_by from app.deals where id = $1', [deal?.id]),
    ).toEqual([{ is_deleted: true, deleted_by: people.rep?.id }])
    expect(
      await db.query(
        `select action, actor_id from core.audit_logs where target_id = $1 order by created_at`,
        [deal?.id],
      ),
    ).toEqual([
      { action: 'insert', actor_id: people.rep?.id },
      { action: 'soft_delete', actor_id: people.rep?.id },
    ])
  })

  it('removes access at once when a member leaves, also to deals they own', async () => {
    const leaver = await addMember(
      db,
      t,
      (
        await db.query(`select id from core.roles where name = 'rep' and organization_id = $1`, [
          t.orgId,
        ])
      )[0]?.id,
      'leaver',
    )
    const [deal] = await db
      .as(leaver)
      .query(`select id from public.create_deal($1, 'mine')`, [t.orgId])
    await db
      .as(leaver)
      .query('select public.remove_user_from_organization($1, $2)', [leaver.id, t.orgId])
    expect(await db.as(leaver).query('select id from app.deals where id = $1', [deal?.id])).toEqual(
      [],
    )
  })

  it("evaluates the caller's sets once per statement, with no per-row function calls", async () => {
    await db.query(
      `insert into app.deals (organization_id, title, visibility, owner_id, owner_role_id)
       select $1, 'bulk ' || g, (array['private','controlled','public'])[1 + g % 3], $2, r.role_id
       from generate_series(1, 20000) g, core.memberships r where r.user_id = $2`,
      [t.orgId, people.peer?.id],
    )
    await db.query('analyze app.deals')
    const plan = await db.as(people.lead as TestUser).tx(async (q) => {
      const rows = await q(
        'explain (analyze, verbose, format json) select id from app.deals where organization_id = $1 order by created_at desc limit 50 offset 500',
        [t.orgId],
      )
      return JSON.stringify(rows[0]?.['QUERY PLAN'])
    })
    // Each caller set is an InitPlan or a hashed SubPlan, run at most once (lazily: 0 when unused).
    const once = [
      ...plan.matchAll(/"Subplan Name":"(?:InitPlan|SubPlan) (\d+)"[^}]*?"Actual Loops":(\d+)/g),
    ]
    expect(once.length).toBeGreaterThanOrEqual(4)
    for (const [, , loops] of once) expect(Number(loops)).toBeLessThanOrEqual(1)
    // The row filter compares with their results (array or hash lookups); no function runs per row.
    const filter = /"Filter":"([^"]*)"/.exec(plan)?.[1] ?? ''
    expect(filter).toMatch(/ANY/)
    expect(filter).toMatch(/hashed SubPlan/)
    expect(filter).not.toMatch(
      /my_organization_ids|my_subordinate_role_ids|my_organizations_with|check_resource_access/,
    )
    // A page is read in index order and stops early, instead of sorting the organization.
    expect(plan).toMatch(/"Index Name":"deals_organization_id_idx"/)
    expect(plan).not.toMatch(/"Node Type":"Sort"/)
  })
})
