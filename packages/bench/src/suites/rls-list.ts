import type pg from 'pg'
import { median, sample } from '#src/measure.ts'
import { type BenchRow, row } from '#src/report.ts'
import { addUser, seedOrganization } from '#src/seed.ts'

const TOTAL_DEALS = Number(process.env.TENANTBASE_BENCH_DEALS ?? 1_000_000)
const ORGS = 200
const PAGE = 50

/** Runs a statement the way PostgREST does: a transaction with role and claims set. */
export async function asUser(
  db: pg.Pool,
  userId: string | null,
  sql: string,
  params: unknown[] = [],
) {
  const client = await db.connect()
  try {
    await client.query('begin read only')
    const role = userId ? 'authenticated' : 'service_role'
    await client.query(
      `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`,
      [role, JSON.stringify(userId ? { sub: userId, role } : { role })],
    )
    const result = await client.query(sql, params)
    await client.query('commit')
    return result.rows
  } finally {
    client.release()
  }
}

/**
 * 1,000,000 deals over 200 organizations; a member with a mid-level role in a 200-role DAG pages
 * through their visible deals (RLS) vs the service role running the same rows' WHERE by hand.
 * Also the depth rows: the same query for a role at depth 2 and at depth 100.
 */
export async function rlsListBench(
  owner: pg.Pool,
  authenticator: pg.Pool,
  log: (s: string) => void,
): Promise<BenchRow[]> {
  log(`seeding ${ORGS} organizations and ${TOTAL_DEALS.toLocaleString()} deals`)
  const target = await seedOrganization(owner, 'bench-target', {
    roles: 200,
    depth: 110,
    extraEdges: 150,
  })
  await addUser(owner, target.orgId, target.rootRoleId, 'owner@bench-target.test')
  const others: string[] = []
  for (let i = 1; i < ORGS; i++) {
    const { rows } = await owner.query(
      `insert into core.organizations (name, slug) values ($1, $1) returning id`,
      [`bench-${i}`],
    )
    const orgId = rows[0]?.id as string
    await owner.query('select rbac.create_root_role($1)', [orgId])
    others.push(orgId)
  }
  const mid = target.roleIds[50] as string
  const shallow = target.roleIds[2] as string
  const deep = target.roleIds[100] as string
  const member = await addUser(owner, target.orgId, mid, 'mid@bench.test')
  const shallowUser = await addUser(owner, target.orgId, shallow, 'shallow@bench.test')
  const deepUser = await addUser(owner, target.orgId, deep, 'deep@bench.test')
  // Deals: a generated owner per deal; owner roles spread over the DAG; visibility mixed.
  await owner.query('alter table app.deals disable trigger user')
  const perOrg = Math.floor(TOTAL_DEALS / ORGS)
  await owner.query(
    `insert into app.deals (organization_id, title, visibility, owner_id, owner_role_id, amount, created_at)
     select $1, 'deal ' || g, (array['private','controlled','public'])[1 + g % 3],
       case when g % 97 = 0 then $3::uuid else gen_random_uuid() end,
       ($2::uuid[])[1 + g % array_length($2::uuid[], 1)], g % 1000, now() - g * interval '1 second'
     from generate_series(1, $4) g`,
    [target.orgId, target.roleIds, member, perOrg],
  )
  await owner.query(
    `insert into app.deals (organization_id, title, visibility, owner_id, owner_role_id, created_at)
     select o.id, 'deal ' || g, 'public', gen_random_uuid(), r.id, now() - g * interval '1 second'
     from unnest($1::uuid[]) o(id) join core.roles r on r.organization_id = o.id and r.is_root,
     generate_series(1, $2) g`,
    [others, perOrg],
  )
  await owner.query('alter table app.deals enable trigger user')
  await owner.query('analyze')
  log('seeded; measuring')

  const listSql = `select id, title, amount, visibility from app.deals where organization_id = $1
                   order by created_at desc limit ${PAGE} offset $2`
  const countSql = 'select count(*) from app.deals where organization_id = $1'
  // The same rows for the service role, with the rule written out by hand for this user.
  const handWritten = async (userId: string) => {
    const subs = (
      await owner.query(
        `select coalesce(array_agg(c.descendant_role_id), '{}') as ids from core.memberships m
       join rbac.role_closure c on c.ancestor_role_id = m.role_id and c.descendant_role_id <> m.role_id
       where m.user_id = $1`,
        [userId],
      )
    ).rows[0]?.ids as string[]
    const where = `organization_id = $1 and not is_deleted and (owner_id = '${userId}'
      or (visibility = 'controlled' and owner_role_id = any ('{${subs.join(',')}}'::uuid[])) or visibility = 'public')`
    return {
      list: `select id, title, amount, visibility from app.deals where ${where} order by created_at desc limit ${PAGE} offset $2`,
      count: `select count(*) from app.deals where ${where}`,
    }
  }
  const pages = 20
  const measure = async (userId: string | null, sql: string, paged = true) =>
    median(
      await sample(
        (i) =>
          asUser(
            authenticator,
            userId,
            sql,
            paged ? [target.orgId, (i % pages) * PAGE] : [target.orgId],
          ),
        { runs: 60 },
      ),
    )

  if (process.env.TENANTBASE_BENCH_EXPLAIN) {
    for (const [who, sql] of [
      [member, `explain (analyze, buffers) ${listSql}`],
      [null, `explain (analyze, buffers) ${(await handWritten(member)).list}`],
    ] as const) {
      const plan = await asUser(authenticator, who, sql, [target.orgId, 500])
      log(plan.map((r) => r['QUERY PLAN']).join('\n'))
    }
  }
  const manual = await handWritten(member)
  const rlsPage = await measure(member, listSql)
  const manualPage = await measure(null, manual.list)
  const rlsCount = await measure(member, countSql, false)
  const manualCount = await measure(null, manual.count, false)
  const rowsSeen = (await asUser(authenticator, member, listSql, [target.orgId, 0])).length
  const rowsHand = (await asUser(authenticator, null, manual.list, [target.orgId, 0])).length
  if (rowsSeen !== rowsHand)
    throw new Error(`RLS page has ${rowsSeen} rows, hand-written ${rowsHand}`)

  const depth2 = await measure(shallowUser, listSql)
  const depth100 = await measure(deepUser, listSql)
  const depth2Count = await measure(shallowUser, countSql, false)
  const depth100Count = await measure(deepUser, countSql, false)

  // Closure lookup vs the same "is A above B" by walking the edges recursively.
  const closureSql = `select exists (select 1 from rbac.role_closure where ancestor_role_id = $1 and descendant_role_id = $2)`
  const recursiveSql = `with recursive down(id) as (select $1::uuid union select e.child_role_id from rbac.role_edges e join down d on e.parent_role_id = d.id)
                        select exists (select 1 from down where id = $2)`
  const from = target.roleIds[1] as string
  const to = target.roleIds[105] as string
  const closure = median(await sample(() => owner.query(closureSql, [from, to]), { runs: 200 }))
  const recursive = median(await sample(() => owner.query(recursiveSql, [from, to]), { runs: 200 }))

  return [
    row({
      name: 'RLS list page (member, 200-role DAG) vs service role hand WHERE',
      value: rlsPage,
      unit: 'ms',
      baseline: manualPage,
      maxRatio: 1.5,
    }),
    row({
      name: 'RLS count (member) vs service role hand WHERE',
      value: rlsCount,
      unit: 'ms',
      baseline: manualCount,
      maxRatio: 1.5,
    }),
    row({
      name: 'List page: role at depth 100 vs depth 2',
      value: depth100,
      unit: 'ms',
      baseline: depth2,
      maxRatio: 1.2,
    }),
    row({
      name: 'Count: role at depth 100 vs depth 2',
      value: depth100Count,
      unit: 'ms',
      baseline: depth2Count,
      maxRatio: 1.2,
    }),
    row({
      name: 'Closure lookup vs recursive CTE (depth ~100)',
      value: closure,
      unit: 'ms',
      baseline: recursive,
    }),
  ]
}
