import type pg from 'pg'
import { asCaller, user } from '#src/as-caller.ts'
import { compare, perCall } from '#src/measure.ts'
import { type BenchRow, comparedRow, measuredRow } from '#src/report.ts'
import type { RlsData } from '#src/seed.ts'

export const PAGE = 50
const PAGES = 20

export const listSql = (table = 'app.deals') =>
  `select id, title, amount, visibility from ${table} where organization_id = $1
   order by created_at desc limit ${PAGE} offset $2`
export const countSql = (table = 'app.deals') =>
  `select count(*)::int as n from ${table} where organization_id = $1`

/** The member's rule written out by hand, for the service role (no RLS). */
export async function handWritten(owner: pg.Pool, userId: string) {
  const { rows } = await owner.query(
    `select coalesce(array_agg(c.descendant_role_id), '{}') as ids from core.memberships m
     join rbac.role_closure c on c.ancestor_role_id = m.role_id and c.descendant_role_id <> m.role_id
     where m.user_id = $1`,
    [userId],
  )
  const subs = rows[0]?.ids as string[]
  const where = `organization_id = $1 and not is_deleted and (owner_id = '${userId}'
    or (visibility = 'controlled' and owner_role_id = any ('{${subs.join(',')}}'::uuid[])) or visibility = 'public')`
  return {
    list: `select id, title, amount, visibility from app.deals where ${where}
           order by created_at desc limit ${PAGE} offset $2`,
    count: `select count(*)::int as n from app.deals where ${where}`,
  }
}

/** Page i of the organization's deals (20 pages, cycling), and the count, as a caller. */
export const pageParams = (orgId: string) => (i: number) => [orgId, (i % PAGES) * PAGE]

/**
 * RLS on 1M deals: a member's list page and count vs the same rows written as a WHERE for the
 * service role; a role at depth 100 vs depth 2; the closure vs a recursive walk; and the cost of
 * one rbac.check_resource_access call.
 */
export async function rlsBench(
  owner: pg.Pool,
  authenticator: pg.Pool,
  data: RlsData,
  log: (s: string) => void,
): Promise<BenchRow[]> {
  const org = data.target.orgId
  const page = pageParams(org)
  const member = user(data.member)
  const manual = await handWritten(owner, data.member)

  // The policy and the hand-written rule must return the same rows.
  for (const offset of [0, 500, 950]) {
    const seen = await asCaller(authenticator, member, listSql(), [org, offset])
    const hand = await asCaller(authenticator, null, manual.list, [org, offset])
    if (JSON.stringify(seen) !== JSON.stringify(hand))
      throw new Error(`RLS page at offset ${offset} differs from the hand-written WHERE`)
  }
  const [rlsTotal] = await asCaller(authenticator, member, countSql(), [org])
  const [handTotal] = await asCaller(authenticator, null, manual.count, [org])
  if (rlsTotal?.n !== handTotal?.n) throw new Error('RLS count differs from the hand-written WHERE')

  if (process.env.TENANTBASE_BENCH_EXPLAIN) {
    for (const [who, sql] of [
      [member, listSql()],
      [null, manual.list],
      [member, countSql()],
      [null, manual.count],
    ] as const) {
      const params = sql.includes('$2') ? [org, 500] : [org]
      const plan = await asCaller(authenticator, who, `explain (analyze, buffers) ${sql}`, params)
      log(plan.map((r) => r['QUERY PLAN']).join('\n'))
    }
  }

  log('RLS list and count vs the hand-written WHERE')
  const list = await compare(
    (i) => asCaller(authenticator, member, listSql(), page(i)),
    (i) => asCaller(authenticator, null, manual.list, page(i)),
    { rounds: 9, perRound: 30 },
  )
  const count = await compare(
    () => asCaller(authenticator, member, countSql(), [org]),
    () => asCaller(authenticator, null, manual.count, [org]),
    { rounds: 9, perRound: 30 },
  )
  log('depth 100 vs depth 2')
  const deep = user(data.deepUser)
  const shallow = user(data.shallowUser)
  const depthOrg = data.depthOrgId
  const depthPage = pageParams(depthOrg)
  // Same visible deals for both (checked), so only depth differs.
  for (const offset of [0, 950]) {
    const a = await asCaller(authenticator, deep, listSql(), [depthOrg, offset])
    const b = await asCaller(authenticator, shallow, listSql(), [depthOrg, offset])
    if (a.length !== PAGE || JSON.stringify(a) !== JSON.stringify(b))
      throw new Error('the depth-2 and depth-100 members should see the same deals')
  }
  const depthList = await compare(
    (i) => asCaller(authenticator, deep, listSql(), depthPage(i)),
    (i) => asCaller(authenticator, shallow, listSql(), depthPage(i)),
    { rounds: 9, perRound: 30 },
  )
  const depthCount = await compare(
    () => asCaller(authenticator, deep, countSql(), [depthOrg]),
    () => asCaller(authenticator, shallow, countSql(), [depthOrg]),
    { rounds: 9, perRound: 30 },
  )

  // Closure lookup vs the same "is A above B" by walking the edges recursively.
  const closureSql = `select exists (select 1 from rbac.role_closure where ancestor_role_id = $1 and descendant_role_id = $2)`
  const recursiveSql = `with recursive down(id) as (select $1::uuid union select e.child_role_id from rbac.role_edges e join down d on e.parent_role_id = d.id)
                        select exists (select 1 from down where id = $2)`
  const pair = [data.target.roleIds[1], data.target.roleIds[105]]
  const closure = await compare(
    () => owner.query(closureSql, pair),
    () => owner.query(recursiveSql, pair),
    { rounds: 7, perRound: 30 },
  )

  log('check_resource_access per call')
  const engine = await engineCost(owner, authenticator, data)

  return [
    comparedRow(
      'RLS list page (member, 200-role DAG, 1M deals) vs service role with the hand WHERE',
      list,
      { maxRatio: 1.25 },
    ),
    comparedRow('RLS count (member) vs service role with the hand WHERE', count, { maxRatio: 1.3 }),
    comparedRow('List page: role at depth 100 vs depth 2', depthList, { maxRatio: 1.1 }),
    comparedRow('Count: role at depth 100 vs depth 2', depthCount, { maxRatio: 1.1 }),
    comparedRow('"Is A above B": closure lookup vs recursive CTE (depth ~100)', closure),
    engine,
  ]
}

/**
 * The server-side cost of one rbac.check_resource_access call, as a member: a statement checking
 * 1,000 records (mixed visibility) against the same statement without the check, interleaved;
 * the difference divided by 1,000. A round trip alone costs more than the goal, so only the
 * function's own time is comparable with it.
 */
async function engineCost(owner: pg.Pool, authenticator: pg.Pool, data: RlsData) {
  const N = 1000
  const { rows } = await owner.query(
    `select array_agg(organization_id) o, array_agg(visibility) v, array_agg(owner_id) w, array_agg(owner_role_id) r,
            array_agg(id) ids
     from (select * from app.deals where organization_id = $1 order by created_at desc limit $2) d`,
    [data.target.orgId, N],
  )
  const arrays = [rows[0]?.o, rows[0]?.v, rows[0]?.w, rows[0]?.r]
  const checks = ((rows[0]?.ids ?? []) as string[]).length
  const from = `from unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[]) t(o, v, w, r)`
  const checked = `select count(*) filter (where rbac.check_resource_access(o, v, w, r, 'deals', 'read'))::int as n ${from}`
  const plain = `select count(*) filter (where o is not null and v is not null and w is not null and r is not null)::int as n ${from}`
  const member = user(data.member)
  // The engine must agree with the deals policy on these records.
  const [engine] = await asCaller(authenticator, member, checked, arrays)
  const [policy] = await asCaller(
    authenticator,
    member,
    'select count(*)::int as n from app.deals where id = any ($1)',
    [rows[0]?.ids],
  )
  if (engine?.n !== policy?.n)
    throw new Error(`check_resource_access allows ${engine?.n} records, the policy ${policy?.n}`)
  const cost = await perCall(
    () => asCaller(authenticator, member, checked, arrays),
    () => asCaller(authenticator, member, plain, arrays),
    checks,
  )
  return measuredRow(
    `Single-record rbac.check_resource_access, server time per call (${checks.toLocaleString('en-US')} mixed records)`,
    cost,
    { maxValue: 0.1 },
  )
}
