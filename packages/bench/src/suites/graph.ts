import { createServerClient } from '@supabase/ssr'
import { createClient } from '@supabase/supabase-js'
import type pg from 'pg'
import { perCall, percentile, repeat, sample } from '#src/measure.ts'
import { type BenchRow, measuredRow, row } from '#src/report.ts'
import { addUser, seedOrganization } from '#src/seed.ts'

type Api = { url: string; anonKey: string }

/**
 * Claims hook latency and token size in a 1,000-role DAG, graph writes, provision_tenant. The
 * 200-role DAG's owner comes from the RLS data when that suite ran.
 */
export async function graphBench(
  owner: pg.Pool,
  authAdmin: pg.Pool,
  api: Api,
  log: (s: string) => void,
  options: { ownerOf200?: string } = {},
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
  // The steady state of a live database (autovacuum has run): visibility map and statistics.
  await owner.query(
    'vacuum analyze rbac.role_closure, rbac.role_edges, rbac.role_permissions, core.roles, core.memberships',
  )

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
  const hook = await repeat(() => authAdmin.query(hookSql, [event]), {
    rounds: 9,
    perRound: 60,
    warmup: 30,
  })

  // The hook's own time, without the round trip: a statement running it 50 times vs the same
  // statement without it, interleaved; the difference divided by 50.
  const N = 50
  const batched = `select count(*) filter (where (public.custom_access_token_hook($1::jsonb) -> 'claims') is not null)
                   from generate_series(1, ${N}) g`
  const empty = `select count(*) filter (where $1::jsonb is not null) from generate_series(1, ${N}) g`
  const hookServer = await perCall(
    () => authAdmin.query(batched, [event]),
    () => authAdmin.query(empty, [event]),
    N,
  )
  if (process.env.TENANTBASE_BENCH_EXPLAIN) {
    const plan = await authAdmin.query(`explain (analyze, buffers) ${hookSql}`, [event])
    log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'))
  }

  // Add and remove an edge between two leaves far apart (never a cycle: b has a higher index).
  const a = org.roleIds[500] as string
  const b = org.roleIds[900] as string
  const writes = await repeat(
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
    { rounds: 5, perRound: 20, warmup: 10 },
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
  const provision = await repeat(
    (i) =>
      owner.query(
        `select public.provision_tenant('Bench', 'bench-prov-' || $1, 'admin@bench.test')`,
        [`${Date.now()}-${i}`],
      ),
    { rounds: 5, perRound: 10 },
  )

  log('token sizes')
  const tokens: BenchRow[] = []
  for (const [label, email, goal] of [
    ['200', options.ownerOf200, undefined],
    ['1,000', 'owner@bench-dag.test', 4096],
  ] as const) {
    if (!email) continue
    const { jwt, cookies, cookieBytes } = await tokenOf(api, email)
    tokens.push(
      row({
        name: `JWT bytes for the ${label}-role root (owner)`,
        value: jwt,
        unit: 'bytes',
        maxValue: goal,
      }),
      row({
        name: `@supabase/ssr session cookies for the ${label}-role root (${cookieBytes.toLocaleString('en-US')} bytes)`,
        value: cookies,
        unit: 'cookies',
      }),
    )
  }

  return [
    measuredRow(
      'Claims hook median, one call with its round trip (user in a 1,000-role DAG, as supabase_auth_admin)',
      hook,
      { maxValue: 1 },
    ),
    measuredRow('Claims hook, server time per call (50 calls per statement vs none)', hookServer, {
      maxValue: 1,
    }),
    row({
      name: 'Claims hook p99 (GoTrue limit 2,000 ms)',
      value: percentile(hook.all, 99),
      unit: 'ms',
      maxValue: 2000,
    }),
    ...tokens,
    measuredRow('Edge add/remove median (1,000-role DAG)', writes, { maxValue: 20 }),
    row({
      name: 'Full closure rebuild of the organization (avoided) vs one edge change',
      value: percentile(rebuild, 50),
      unit: 'ms',
      baseline: writes.value,
    }),
    measuredRow('provision_tenant median', provision),
  ]
}

/**
 * Signs a user in through the gateway (the claims hook runs there) and measures the access
 * token, and the cookies @supabase/ssr writes for that session (it splits a session over
 * several cookies of at most ~3 KB each).
 */
async function tokenOf(api: Api, email: string) {
  const jar = new Map<string, string>()
  const ssr = createServerClient(api.url, api.anonKey, {
    cookies: {
      getAll: () => [...jar].map(([name, value]) => ({ name, value })),
      setAll: (cookies) => {
        for (const { name, value } of cookies) {
          if (value) jar.set(name, value)
          else jar.delete(name)
        }
      },
    },
  })
  const { data, error } = await ssr.auth.signInWithPassword({ email, password: 'password123' })
  if (error || !data.session) throw error ?? new Error(`no session for ${email}`)
  const token = data.session.access_token
  // The same token through the plain client: the gateway answers as for any app.
  const plain = createClient(api.url, api.anonKey, { auth: { persistSession: false } })
  const check = await plain.auth.getUser(token)
  if (check.error) throw check.error
  // @supabase/ssr writes the cookies when it saves the session, after sign-in resolves.
  await new Promise((resolve) => setTimeout(resolve, 50))
  const names = [...jar.keys()].filter((name) => name.includes('auth-token'))
  if (names.length === 0) throw new Error('@supabase/ssr wrote no session cookie')
  return {
    jwt: Buffer.byteLength(token),
    cookies: names.length,
    cookieBytes: names.reduce((sum, name) => sum + name.length + (jar.get(name)?.length ?? 0), 0),
  }
}
