import { createTestDatabase, type TestDatabase } from '@tenantbase/local-supabase/testing'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTenant } from './factories.ts'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db.close())

const codes = ['deals.read', 'deals.update', 'members.invite', 'audit.read']

// rbac.role_has_permission (what policies, has_permission and the access engine use) must give
// exactly the answer of the effective permission set the claims and get_my_access report.
describe('rbac.role_has_permission', () => {
  it('agrees with rbac.role_effective_permissions for every role and code of random DAGs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 12 }),
        fc.array(fc.tuple(fc.nat(40), fc.nat(40)), { maxLength: 15 }),
        fc.array(fc.tuple(fc.nat(40), fc.constantFrom(...codes)), { maxLength: 12 }),
        fc.option(fc.subarray(codes), { nil: undefined }),
        async (size, extraEdges, grants, enabled) => {
          const tenant = await createTenant(db, 'Perm')
          // Some organizations enable only some codes: the root holds exactly those.
          if (enabled)
            await db.query(
              'insert into rbac.enabled_permissions (organization_id, permissions) values ($1, $2)',
              [tenant.orgId, enabled],
            )
          const roles: string[] = [tenant.rootRoleId]
          for (let i = 1; i < size; i++) {
            const parent = roles[Math.floor(i / 2)] as string
            const [role] = await db.query<{ id: string }>(
              `with r as (insert into core.roles (organization_id, name) values ($1, $2) returning id)
               insert into rbac.role_edges (organization_id, parent_role_id, child_role_id)
               select $1, $3, r.id from r returning child_role_id as id`,
              [tenant.orgId, `r${i}`, parent],
            )
            roles.push(role?.id as string)
          }
          for (const [a, b] of extraEdges) {
            const parent = roles[a % roles.length] as string
            const child = roles[b % roles.length] as string
            // Cycles, duplicates, self loops and parents of the root are refused: skip those.
            await db
              .query(
                'insert into rbac.role_edges (organization_id, parent_role_id, child_role_id) values ($1, $2, $3)',
                [tenant.orgId, parent, child],
              )
              .catch(() => undefined)
          }
          for (const [r, code] of grants) {
            const role = roles[1 + (r % (roles.length - 1))]
            // Codes outside the enabled set cannot be granted (a guard refuses them).
            if (roles.length < 2 || !role || (enabled && !enabled.includes(code))) continue
            await db.query(
              `insert into rbac.role_permissions (organization_id, role_id, permission)
               values ($1, $2, $3) on conflict do nothing`,
              [tenant.orgId, role, code],
            )
          }
          const mismatches = await db.query(
            `select r.id, c.code, rbac.role_has_permission(r.id, c.code) as checked,
                    c.code = any (rbac.role_effective_permissions(r.id)) as listed
             from core.roles r cross join unnest($2::text[]) c(code)
             where r.organization_id = $1
               and rbac.role_has_permission(r.id, c.code) is distinct from (c.code = any (rbac.role_effective_permissions(r.id)))`,
            [tenant.orgId, codes],
          )
          expect(mismatches).toEqual([])
        },
      ),
      { numRuns: 25 },
    )
  })

  it('answers false for a role that does not exist and for an unknown code', async () => {
    const tenant = await createTenant(db, 'Unknown')
    const [row] = await db.query(
      `select rbac.role_has_permission(gen_random_uuid(), 'deals.read') as missing_role,
              rbac.role_has_permission($1, 'nothing.here') as unknown_code,
              rbac.role_has_permission($1, 'deals.read') as root_holds`,
      [tenant.rootRoleId],
    )
    expect(row).toEqual({ missing_role: false, unknown_code: false, root_holds: true })
  })
})
