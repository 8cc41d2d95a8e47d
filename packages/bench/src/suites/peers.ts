import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type pg from 'pg'
import { asCaller, type Caller, user } from '#src/as-caller.ts'
import { compare, type Plan } from '#src/measure.ts'
import { type BenchRow, comparedRow } from '#src/report.ts'
import type { RlsData } from '#src/seed.ts'
import { countSql, listSql, PAGE, pageParams } from '#src/suites/rls.ts'

type Style = {
  key: 'smta' | 'supamax' | 'basejump' | 'cte'
  label: string
  /** The select policy of the style's copy of app.deals. */
  policy: string
  /** The style's rule for an object `<org>/<record>/<file>` of the deals bucket. */
  objectPolicy: string
  /** The rows the style's rule lets the member see, written out for the service role. */
  expected: string
}

const styles: Style[] = [
  {
    key: 'smta',
    label: "SMTA's per-row core.is_org_member(organization_id)",
    policy: 'is_deleted = false and bench_peers.smta_is_org_member(organization_id)',
    objectPolicy: `bucket_id = 'deals' and bench_peers.smta_is_org_member((storage.foldername(name))[1]::uuid)`,
    expected: 'organization_id = $1 and not is_deleted',
  },
  {
    key: 'supamax',
    label: "SupaMax's per-row check_resource_access(...) reading JWT claims",
    policy: `bench_peers.supamax_check_resource_access(organization_id, visibility, owner_id, owner_role_id, 'deals', 'select')`,
    objectPolicy: `bucket_id = 'deals' and exists (select 1 from bench_peers.deals_supamax d where d.file_path = name)`,
    expected: `organization_id = $1 and ((visibility in ('private', 'controlled') and (owner_id = $2 or owner_role_id = any ($3)))
               or (visibility = 'public' and 'deals.read' = any ($4)))`,
  },
  {
    key: 'basejump',
    label: "Basejump's per-row has_role_on_account(account_id)",
    policy: 'bench_peers.basejump_has_role_on_account(organization_id) = true',
    objectPolicy: `bucket_id = 'deals' and bench_peers.basejump_has_role_on_account((storage.foldername(name))[1]::uuid) = true`,
    expected: 'organization_id = $1',
  },
  {
    key: 'cte',
    label: 'A recursive-CTE hierarchy check per row',
    policy:
      'not is_deleted and bench_peers.cte_can_read(organization_id, visibility, owner_id, owner_role_id)',
    objectPolicy: `bucket_id = 'deals' and exists (select 1 from bench_peers.deals_cte d where d.id = (storage.foldername(name))[2]::uuid)`,
    expected: '', // the same rows as Tenantbase's policy
  },
]

const SAMPLE = 50

/**
 * The peers' policy styles on the same 1M deals: each style gets a copy of app.deals with the
 * same rows and its own select policy, and the same queries run under it and under Tenantbase's
 * policy, interleaved. Each row is the style's time over Tenantbase's.
 */
export async function peersBench(
  owner: pg.Pool,
  authenticator: pg.Pool,
  data: RlsData,
  log: (s: string) => void,
): Promise<BenchRow[]> {
  const org = data.target.orgId
  log('peers: copying the deals for each policy style')
  await owner.query(
    await readFile(path.join(import.meta.dirname, '..', '..', 'sql', 'peers.sql'), 'utf8'),
  )
  for (const style of styles) await copyDeals(owner, style)

  // The same 50 deals (mixed visibility) for the single-record and object checks, each with one
  // stored object.
  const { rows: sample } = await owner.query<{ id: string; name: string }>(
    `select id, organization_id || '/' || id || '/contract.pdf' as name from app.deals
     where organization_id = $1 order by created_at desc limit ${SAMPLE} offset 1000`,
    [org],
  )
  await owner.query(
    `insert into storage.objects (bucket_id, name, owner_id, metadata)
     select 'deals', n, $2, '{"size": 1000, "mimetype": "application/pdf"}' from unnest($1::text[]) n
     on conflict do nothing`,
    [sample.map((s) => s.name), data.member],
  )
  for (const style of styles) {
    const table = `bench_peers.objects_${style.key}`
    await owner.query(
      `create table ${table} (bucket_id text not null, name text not null, primary key (bucket_id, name))`,
    )
    await owner.query(`insert into ${table} select 'deals', n from unnest($1::text[]) n`, [
      sample.map((s) => s.name),
    ])
    await owner.query(`alter table ${table} enable row level security`)
    await owner.query(`grant select on ${table} to authenticated`)
    await owner.query(
      `create policy peer_select on ${table} for select to authenticated using (${style.objectPolicy})`,
    )
    await owner.query(`analyze ${table}`)
  }

  const tenantbase = user(data.member)
  const callers = {
    smta: tenantbase,
    basejump: tenantbase,
    cte: tenantbase,
    supamax: user(data.member, { app_metadata: await supamaxClaims(owner, data) }),
  } satisfies Record<Style['key'], Caller>
  await verify(owner, authenticator, data, callers, log)

  const page = pageParams(org)
  const single = (table: string) => `select id, title from ${table} where id = $1`
  const object = (table: string) =>
    `select exists (select 1 from ${table} where bucket_id = 'deals' and name = $1) as ok`
  const rows: BenchRow[] = []
  for (const style of styles) {
    const table = `bench_peers.deals_${style.key}`
    const caller = callers[style.key]
    log(`peers: ${style.key}`)
    // Slow styles get fewer samples per round (at least one); fast ones the full plan.
    const plan: Plan = { rounds: 5, perRound: 16, warmup: 2, budgetMs: 12_000 }
    const measured = {
      list: await compare(
        (i) => asCaller(authenticator, caller, listSql(table), page(i)),
        (i) => asCaller(authenticator, tenantbase, listSql(), page(i)),
        plan,
      ),
      count: await compare(
        () => asCaller(authenticator, caller, countSql(table), [org]),
        () => asCaller(authenticator, tenantbase, countSql(), [org]),
        plan,
      ),
      single: await compare(
        (i) => asCaller(authenticator, caller, single(table), [sample[i % SAMPLE]?.id]),
        (i) => asCaller(authenticator, tenantbase, single('app.deals'), [sample[i % SAMPLE]?.id]),
        plan,
      ),
      object: await compare(
        (i) =>
          asCaller(authenticator, caller, object(`bench_peers.objects_${style.key}`), [
            sample[i % SAMPLE]?.name,
          ]),
        (i) =>
          asCaller(authenticator, tenantbase, object('storage.objects'), [
            sample[i % SAMPLE]?.name,
          ]),
        plan,
      ),
    }
    rows.push(
      comparedRow(`${style.label}: list page vs Tenantbase`, measured.list),
      comparedRow(`${style.label}: count vs Tenantbase`, measured.count),
      comparedRow(`${style.label}: one deal by id vs Tenantbase`, measured.single),
      comparedRow(`${style.label}: storage object check vs Tenantbase`, measured.object),
    )
  }
  return rows
}

/** A copy of app.deals (same rows, same indexes) under the style's select policy. */
async function copyDeals(owner: pg.Pool, style: Style) {
  const table = `bench_peers.deals_${style.key}`
  const filePath =
    style.key === 'supamax' ? `, organization_id || '/' || id || '/contract.pdf' as file_path` : ''
  await owner.query(`create table ${table} as select *${filePath} from app.deals`)
  await owner.query(`alter table ${table} add primary key (id)`)
  await owner.query(`create unique index on ${table} (organization_id, id)`)
  await owner.query(
    `create index on ${table} (organization_id, created_at desc) where not is_deleted`,
  )
  await owner.query(`create index on ${table} (owner_id)`)
  await owner.query(`create index on ${table} (owner_role_id)`)
  if (style.key === 'supamax') await owner.query(`create unique index on ${table} (file_path)`)
  await owner.query(`alter table ${table} enable row level security`)
  await owner.query(`grant select on ${table} to authenticated`)
  await owner.query(
    `create policy peer_select on ${table} for select to authenticated using (${style.policy})`,
  )
  await owner.query(`vacuum analyze ${table}`)
}

/**
 * The claims SupaMax's hook puts in app_metadata: tenant, role, the closure below the role
 * (with the role itself, as its closure holds the self pair) and the effective permission codes.
 */
async function supamaxClaims(owner: pg.Pool, data: RlsData) {
  const { rows } = await owner.query(
    `select m.organization_id as tenant_id, m.role_id,
       (select jsonb_agg(c.descendant_role_id) from rbac.role_closure c where c.ancestor_role_id = m.role_id) as subordinate_role_ids,
       to_jsonb(rbac.role_effective_permissions(m.role_id)) as permissions
     from core.memberships m where m.user_id = $1 and m.organization_id = $2`,
    [data.member, data.target.orgId],
  )
  return rows[0] as Record<string, unknown>
}

/** Each style must return exactly the rows its rule allows, on a page and in the count. */
async function verify(
  owner: pg.Pool,
  authenticator: pg.Pool,
  data: RlsData,
  callers: Record<Style['key'], Caller>,
  log: (s: string) => void,
) {
  const org = data.target.orgId
  const claims = callers.supamax?.claims?.app_metadata as {
    subordinate_role_ids: string[]
    permissions: string[]
  }
  for (const style of styles) {
    const table = `bench_peers.deals_${style.key}`
    const params =
      style.key === 'supamax'
        ? [org, data.member, claims.subordinate_role_ids, claims.permissions]
        : [org]
    const expected = style.expected
      ? await owner.query(
          `select (select count(*)::int from app.deals where ${style.expected}) as n,
             (select json_agg(d.id) from (select id from app.deals where ${style.expected}
              order by created_at desc limit ${PAGE} offset 500) d) as page`,
          params,
        )
      : await asCaller(
          authenticator,
          user(data.member),
          `select (select count(*)::int from app.deals where organization_id = $1) as n,
             (select json_agg(d.id) from (select id from app.deals where organization_id = $1
              order by created_at desc limit ${PAGE} offset 500) d) as page`,
          [org],
        ).then((rows) => ({ rows }))
    const [seen] = await asCaller(
      authenticator,
      callers[style.key],
      `select (select count(*)::int from ${table} where organization_id = $1) as n,
         (select json_agg(d.id) from (select id from ${table} where organization_id = $1
          order by created_at desc limit ${PAGE} offset 500) d) as page`,
      [org],
    )
    const want = expected.rows[0]
    if (seen?.n !== want?.n || JSON.stringify(seen?.page) !== JSON.stringify(want?.page))
      throw new Error(`${style.key}: ${seen?.n} rows seen, its rule allows ${want?.n}`)
    log(`peers: ${style.key} lets the member see ${seen?.n} of the organization's deals`)
  }
}
