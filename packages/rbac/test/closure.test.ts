import { createTestDatabase, type TestDatabase } from '@tenantbase/local-supabase/testing'
import fc from 'fast-check'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRole, createTenant, type Tenant } from './factories.ts'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db.close())

// The closure must equal what a recursive walk of the edges finds, for every organization.
async function closureMismatches(orgId: string) {
  return db.query(
    `with recursive walk(ancestor, descendant) as (
       select id, id from core.roles where organization_id = $1
       union
       select w.ancestor, e.child_role_id from walk w
       join rbac.role_edges e on e.parent_role_id = w.descendant
     ),
     closure as (
       select ancestor_role_id as ancestor, descendant_role_id as descendant
       from rbac.role_closure where organization_id = $1
     )
     (select 'missing' as kind, * from walk except select 'missing', * from closure)
     union all
     (select 'extra', * from closure except select 'extra', * from walk)`,
    [orgId],
  )
}

type Op = { kind: 'add' | 'remove' | 'delete'; a: number; b: number }

describe('role closure', () => {
  it('matches a recursive walk after any sequence of edge inserts, edge deletes and role deletes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 3, max: 9 }),
        fc.array(
          fc.record({
            kind: fc.constantFrom<Op['kind']>('add', 'add', 'add', 'remove', 'delete'),
            a: fc.nat(20),
            b: fc.nat(20),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        async (size, ops) => {
          const tenant = await createTenant(db, 'Prop')
          // A chain hanging from the root, then random extra edges (diamonds, long paths).
          const roles: string[] = [tenant.rootRoleId]
          for (let i = 1; i < size; i++) {
            const parent = roles[Math.floor(i / 2)] ?? tenant.rootRoleId
            const [role] = await db.tx(async (q) => {
              const [r] = await q(
                'insert into core.roles (organization_id, name) values ($1, $2) returning id',
                [tenant.orgId, `r${i}`],
              )
              await q(
                'insert into rbac.role_edges (organization_id, parent_role_id, child_role_id) values ($1, $2, $3)',
                [tenant.orgId, parent, r?.id],
              )
              return [r]
            })
            roles.push(role?.id)
          }
          for (const op of ops) {
            const live = (
              await db.query('select id from core.roles where organization_id = $1', [tenant.orgId])
            ).map((r) => r.id as string)
            const a = live[op.a % live.length] as string
            const b = live[op.b % live.length] as string
            if (op.kind === 'add') {
              await db
                .query(
                  'insert into rbac.role_edges (organization_id, parent_role_id, child_role_id) values ($1, $2, $3)',
                  [tenant.orgId, a, b],
                )
                .catch((error: { code?: string }) => {
                  // Cycles, self loops, duplicates and a parent for the root are refused.
                  expect(['P0001', '23505', '23514']).toContain(error.code)
                })
            } else if (op.kind === 'remove') {
              await db
                .query(
                  'delete from rbac.role_edges where parent_role_id = $1 and child_role_id = $2',
                  [a, b],
                )
                .catch((error: { code?: string }) => expect(error.code).toBe('P0001'))
            } else if (b !== tenant.rootRoleId) {
              await db
                .tx(async (q) => {
                  await q(
                    `insert into rbac.role_edges (organization_id, parent_role_id, child_role_id)
                     select $1, p.parent_role_id, c.child_role_id from rbac.role_edges p
                     join rbac.role_edges c on c.parent_role_id = $2 where p.child_role_id = $2
                     on conflict do nothing`,
                    [tenant.orgId, b],
                  )
                  await q('delete from core.roles where id = $1', [b])
                })
                .catch((error: { code?: string }) => expect(error.code).toBe('P0001'))
            }
            expect(await closureMismatches(tenant.orgId)).toEqual([])
          }
        },
      ),
      { numRuns: 25 },
    )
  })

  it('handles a diamond with paths of different lengths, and removing one path keeps the other', async () => {
    const t = await createTenant(db, 'Diamond')
    const a = await createRole(db, t, 'a', t.rootRoleId)
    const b = await createRole(db, t, 'b', a)
    const c = await createRole(db, t, 'c', t.rootRoleId)
    const d = await createRole(db, t, 'd', b)
    await db.as(t.owner).query('select public.add_role_parent($1, $2)', [d, c])
    const above = async () =>
      (
        await db.query(
          'select ancestor_role_id as id from rbac.role_closure where descendant_role_id = $1',
          [d],
        )
      )
        .map((r) => r.id)
        .sort()
    expect(await above()).toEqual([t.rootRoleId, a, b, c, d].sort())
    await db.as(t.owner).query('select public.remove_role_parent($1, $2)', [d, b])
    expect(await above()).toEqual([t.rootRoleId, c, d].sort())
    expect(await closureMismatches(t.orgId)).toEqual([])
  })

  it('refuses cycles of any length with a clear error', async () => {
    const t = await createTenant(db, 'Cycle')
    let parent = t.rootRoleId
    const chain: string[] = []
    for (let i = 0; i < 30; i++) {
      parent = await createRole(db, t, `level-${i}`, parent)
      chain.push(parent)
    }
    await expect(
      db.as(t.owner).query('select public.add_role_parent($1, $2)', [chain[0], chain[29]]),
    ).rejects.toMatchObject({
      code: 'P0001',
      message: 'This edge would create a cycle in the role hierarchy',
    })
    await expect(
      db.as(t.owner).query('select public.add_role_parent($1, $2)', [t.rootRoleId, chain[3]]),
    ).rejects.toMatchObject({ code: '42501', message: 'You can only manage roles below your own' })
    await expect(
      db.query(
        'insert into rbac.role_edges (organization_id, parent_role_id, child_role_id) values ($1, $2, $3)',
        [t.orgId, chain[5], t.rootRoleId],
      ),
    ).rejects.toMatchObject({ code: 'P0001', message: 'The root role cannot have a parent' })
  })

  it('never lets two concurrent transactions create a cycle together', async () => {
    const t = await createTenant(db, 'Race')
    const x = await createRole(db, t, 'x', t.rootRoleId)
    const y = await createRole(db, t, 'y', t.rootRoleId)
    const clients = [new pg.Client(db.url), new pg.Client(db.url)]
    await Promise.all(clients.map((c) => c.connect()))
    try {
      await Promise.all(clients.map((c) => c.query('begin')))
      const insert = (c: pg.Client, parent: string, child: string) =>
        c
          .query(
            'insert into rbac.role_edges (organization_id, parent_role_id, child_role_id) values ($1, $2, $3)',
            [t.orgId, parent, child],
          )
          .then(() => c.query('commit'))
      const results = await Promise.allSettled([
        insert(clients[0] as pg.Client, x, y),
        insert(clients[1] as pg.Client, y, x),
      ])
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
      expect(
        (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason,
      ).toMatchObject({
        code: 'P0001',
        message: 'This edge would create a cycle in the role hierarchy',
      })
    } finally {
      await Promise.all(clients.map((c) => c.end()))
    }
    expect(await closureMismatches(t.orgId)).toEqual([])
  })

  it('keeps edges inside one organization (composite keys)', async () => {
    const one: Tenant = await createTenant(db, 'One')
    const two: Tenant = await createTenant(db, 'Two')
    const r2 = await createRole(db, two, 'theirs', two.rootRoleId)
    await expect(
      db.query(
        'insert into rbac.role_edges (organization_id, parent_role_id, child_role_id) values ($1, $2, $3)',
        [one.orgId, one.rootRoleId, r2],
      ),
    ).rejects.toMatchObject({ code: '23503' })
    await expect(
      db.as(one.owner).query('select public.add_role_parent($1, $2)', [r2, one.rootRoleId]),
    ).rejects.toMatchObject({ code: 'PT404', message: 'Role not found' })
  })
})
