import type pg from 'pg'
import { median, percentile, sample } from '#src/measure.ts'
import { type BenchRow, row } from '#src/report.ts'
import { addUser, seedOrganization } from '#src/seed.ts'

/** Claims hook latency and graph writes in a 1,000-role DAG; provision_tenant. */
export async function graphBench(
  owner: pg.Pool,
  authAdmin: pg.Pool,
  service: pg.Pool,
  log: (s: string) => void,
): Promise<BenchRow[]> {
  log('seeding a 1,000-role DAG')
  const org = await seedOrganization(owner, 'bench-dag', {
    roles: 1000,
    depth: 40,
    extraEdges: 600,
  })
  await addUser(owner, org.orgId, org.rootRoleId, 'owner@bench-dag.test')
  const mid = org.roleIds[30] as string
  const user = await addUser(owner, org.orgId, mid, 'claims@bench-dag.test')

  const hookSql = `select public.custom_access_token_hook($1::jsonb)`
  const event = JSON.stringify({
    user_id: user,
    claims: {
      sub: user,
      role: 'authenticated',
      aud: 'authenticated',
      email: 'claims@bench-dag.test',
      exp: 0,
      iat: 0,
    },
    authentication_method: 'password',
  })
  const hook = await sample(() => authAdmin.query(hookSql, [event]), { runs: 300, warmup: 20 })

  // Add and remove an edge between two leaves far apart (never a cycle: b has a higher index).
  const a = org.roleIds[500] as string
  const b = org.roleIds[900] as string
  const writes = await sample(
    async (i) => {
      if (i % 2 === 0) {
        await owner.query(
          'insert into rbac.role_edges (organization_id, parent_role_id, child_role_id) values ($1, $2, $3) on conflict do nothing',
          [org.orgId, a, b],
        )
      } else {
        await owner.query(
          'delete from rbac.role_edges where parent_role_id = $1 and child_role_id = $2',
          [a, b],
        )
      }
    },
    { runs: 100, warmup: 10 },
  )
  // The cost a design that rebuilds the organization's closure on every change would pay.
  const rebuild = await sample(
    () =>
      owner.query(
        `with recursive walk(ancestor, descendant) as (
           select id, id from core.roles where organization_id = $1
           union
           select w.ancestor, e.child_role_id from walk w join rbac.role_edges e on e.parent_role_id = w.descendant
         ) select count(*) from walk`,
        [org.orgId],
      ),
    { runs: 10, warmup: 2 },
  )

  const provision = await sample(
    (i) =>
      service.query(
        `select public.provision_tenant('Bench', 'bench-prov-' || $1, 'admin@bench.test')`,
        [`${Date.now()}-${i}`],
      ),
    { runs: 50 },
  )

  return [
    row({
      name: 'Claims hook median (1,000-role DAG)',
      value: median(hook),
      unit: 'ms',
      maxValue: 2,
    }),
    row({
      name: 'Claims hook p99 (GoTrue limit 2,000 ms)',
      value: percentile(hook, 99),
      unit: 'ms',
      maxValue: 2000,
    }),
    row({
      name: 'Edge add/remove median (1,000-role DAG)',
      value: median(writes),
      unit: 'ms',
      maxValue: 20,
    }),
    row({
      name: 'Full closure rebuild of the organization (avoided)',
      value: median(rebuild),
      unit: 'ms',
      baseline: median(writes),
    }),
    row({ name: 'provision_tenant median', value: median(provision), unit: 'ms' }),
  ]
}
