import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import type pg from 'pg'
import { asCaller, type Caller, user } from '#src/as-caller.ts'
import { compare, type Plan } from '#src/measure.ts'
import { type BenchRow, comparedRow } from '#src/report.ts'
import type { RlsData } from '#src/seed.ts'
import { countSql, listSql, PAGE } from '#src/suites/rls.ts'

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
/** A style whose count takes longer than this at 1M deals is measured on 100k. */
const SLOW_MS = Number(process.env.TENANTBASE_BENCH_SLOW_MS ?? 1000)

/** Deals tables of one size: Tenantbase's (same policy as app.deals) and the styles'. */
type Size = { label: string; tenantbase: string; suffix: string; pages: number }
const FULL: Size = { label: '1M', tenantbase: 'app.deals', suffix: '', pages: 20 }
const SMALL: Size = {
  label: '100k',
  tenantbase: 'bench_peers.deals_tenantbase_100k',
  suffix: '_100k',
  pages: 4,
}

/**
 * The peers' policy styles on the same 1M deals: each style gets a copy of app.deals with the
 * same rows and its own select policy, and the same queries run under it and under Tenantbase's
 * policy, interleaved. Each row is the style's time over Tenantbase's. A style whose count
 * takes over a second at 1M runs on a 100k subset (the newest tenth of every organization), and
 * so does Tenantbase for its rows.
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
  for (const style of styles) await copyDeals(owner, style, FULL)

  // The same 50 deals (mixed visibility, among the newest, so in both sizes) for the
  // single-record and object checks, each with one stored object.
  const { rows: sample } = await owner.query<{ id: string; name: string }>(
    `select id, organization_id || '/' || id || '/contract.pdf' as name from app.deals
     where organization_id = $1 order by created_at desc limit ${SAMPLE} offset 100`,
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
    await owner.query(`grant select on ${table} to authenticated, service_role`)
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

  // Which styles are too slow at 1M: one count each, with room to finish.
  const sizes = new Map<Style['key'], Size>()
  for (const style of styles) {
    const start = performance.now()
    await asCaller(
      authenticator,
      callers[style.key],
      countSql(`bench_peers.deals_${style.key}`),
      [org],
      {
        timeoutMs: 120_000,
      },
    )
    const ms = performance.now() - start
    sizes.set(style.key, ms > SLOW_MS ? SMALL : FULL)
    log(
      `peers: ${style.key} counts the organization's deals on the full table in ${Math.round(ms)} ms`,
    )
  }
  if ([...sizes.values()].includes(SMALL)) {
    await copyDeals(owner, null, SMALL)
    for (const style of styles)
      if (sizes.get(style.key) === SMALL) await copyDeals(owner, style, SMALL)
  }
  for (const style of styles) {
    await verify(authenticator, data, style, callers[style.key], sizes.get(style.key) ?? FULL, log)
  }

  const single = (table: string) => `select id, title from ${table} where id = $1`
  const object = (table: string) =>
    `select exists (select 1 from ${table} where bucket_id = 'deals' and name = $1) as ok`
  const rows: BenchRow[] = []
  for (const style of styles) {
    const size = sizes.get(style.key) ?? FULL
    const table = `bench_peers.deals_${style.key}${size.suffix}`
    const caller = callers[style.key]
    const page = (i: number) => [org, (i % size.pages) * PAGE]
    log(`peers: ${style.key} (${size.label})`)
    // Slow styles get fewer samples per round (at least one); fast ones the full plan.
    const plan: Plan = { rounds: 5, perRound: 16, warmup: 2, budgetMs: 12_000 }
    const measured = {
      list: await compare(
        (i) => asCaller(authenticator, caller, listSql(table), page(i)),
        (i) => asCaller(authenticator, tenantbase, listSql(size.tenantbase), page(i)),
        plan,
      ),
      count: await compare(
        () => asCaller(authenticator, caller, countSql(table), [org]),
        () => asCaller(authenticator, tenantbase, countSql(size.tenantbase), [org]),
        plan,
      ),
      single: await compare(
        (i) => asCaller(authenticator, caller, single(table), [sample[i % SAMPLE]?.id]),
        (i) =>
          asCaller(authenticator, tenantbase, single(size.tenantbase), [sample[i % SAMPLE]?.id]),
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
    const at = size === FULL ? '' : ` (at ${size.label}: too slow at 1M)`
    rows.push(
      comparedRow(`${style.label}: list page vs Tenantbase${at}`, measured.list),
      comparedRow(`${style.label}: count vs Tenantbase${at}`, measured.count),
      comparedRow(`${style.label}: one deal by id vs Tenantbase${at}`, measured.single),
      comparedRow(`${style.label}: storage object check vs Tenantbase`, measured.object),
    )
  }
  return rows
}

/**
 * A copy of app.deals (same rows, or the newest tenth of each organization's for 100k; same
 * indexes) under the style's select policy, or under Tenantbase's own when style is null.
 */
async function copyDeals(owner: pg.Pool, style: Style | null, size: Size) {
  const table = style ? `bench_peers.deals_${style.key}${size.suffix}` : size.tenantbase
  const filePath =
    style?.key === 'supamax' ? `, organization_id || '/' || id || '/contract.pdf' as file_path` : ''
  const rows =
    size === FULL
      ? 'select * from app.deals'
      : `select * from (select d.*, row_number() over (partition by organization_id order by created_at desc) as n
         from app.deals d) d where n <= (select count(*) / 10 from app.deals) / (select count(distinct organization_id) from app.deals)`
  await owner.query(`create table ${table} as select *${filePath} from (${rows}) d`)
  if (size !== FULL) await owner.query(`alter table ${table} drop column n`)
  await owner.query(`alter table ${table} add primary key (id)`)
  await owner.query(`create unique index on ${table} (organization_id, id)`)
  await owner.query(
    `create index on ${table} (organization_id, created_at desc) where not is_deleted`,
  )
  await owner.query(`create index on ${table} (owner_id)`)
  await owner.query(`create index on ${table} (owner_role_id)`)
  if (style?.key === 'supamax') await owner.query(`create unique index on ${table} (file_path)`)
  await owner.query(`alter table ${table} enable row level security`)
  await owner.query(`grant select on ${table} to authenticated, service_role`)
  const policy = style
    ? style.policy
    : (
        await owner.query(
          `select qual from pg_policies where schemaname = 'app' and tablename = 'deals' and policyname = 'deals_select'`,
        )
      ).rows[0]?.qual
  await owner.query(
    `create policy peer_select on ${table} for select to authenticated using (${policy})`,
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

/** A style must return exactly the rows its rule allows, on a page and in the count. */
async function verify(
  authenticator: pg.Pool,
  data: RlsData,
  style: Style,
  caller: Caller,
  size: Size,
  log: (s: string) => void,
) {
  const org = data.target.orgId
  const table = `bench_peers.deals_${style.key}${size.suffix}`
  const source = size.tenantbase
  const claims = caller?.claims?.app_metadata as
    | { subordinate_role_ids: string[]; permissions: string[] }
    | undefined
  const params = claims
    ? [org, data.member, claims.subordinate_role_ids, claims.permissions]
    : [org]
  const summary = (from: string, where: string) =>
    `select (select count(*)::int from ${from} where ${where}) as n,
       (select json_agg(d.id) from (select id from ${from} where ${where}
        order by created_at desc limit ${PAGE} offset 100) d) as page`
  // Written out for the service role; Tenantbase's own rule (the CTE style's) through its policy.
  const [want] = style.expected
    ? await asCaller(authenticator, null, summary(source, style.expected), params)
    : await asCaller(authenticator, user(data.member), summary(source, 'organization_id = $1'), [
        org,
      ])
  const [seen] = await asCaller(
    authenticator,
    caller,
    summary(table, 'organization_id = $1'),
    [org],
    {
      timeoutMs: 120_000,
    },
  )
  if (seen?.n !== want?.n || JSON.stringify(seen?.page) !== JSON.stringify(want?.page))
    throw new Error(`${style.key}: ${seen?.n} rows seen, its rule allows ${want?.n}`)
  log(
    `peers: ${style.key} lets the member see ${seen?.n} of the organization's deals (${size.label})`,
  )
}
