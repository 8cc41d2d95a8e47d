import path from 'node:path'
import { SUPERUSER } from '@tenantbase/local-supabase/cluster'
import { repoRoot } from '@tenantbase/local-supabase/repo-root'
import pg from 'pg'
import { startBenchStack } from '#src/bench-stack.ts'
import { type BenchRow, formatTable, writeResults } from '#src/report.ts'
import { type RlsData, seedRlsData } from '#src/seed.ts'
import { graphBench } from '#src/suites/graph.ts'
import { peersBench } from '#src/suites/peers.ts'
import { rlsBench } from '#src/suites/rls.ts'
import { stackBench } from '#src/suites/stack.ts'
import { storageListBench } from '#src/suites/storage-list.ts'

const log = (message: string) => console.error(`[bench] ${message}`)
const suites = ['rls', 'peers', 'storage', 'graph', 'stack'] as const
type Suite = (typeof suites)[number]

/** `pnpm bench`: a fresh throwaway stack, seeded here, measured side by side. */
async function main() {
  // TENANTBASE_BENCH_ONLY=rls,peers,storage,graph,stack runs some suites (for investigating a row).
  const only = process.env.TENANTBASE_BENCH_ONLY?.split(',').map((s) => s.trim())
  const unknown = only?.filter((s) => !suites.includes(s as Suite))
  if (unknown?.length)
    throw new Error(`Unknown suite(s) ${unknown.join(', ')}; use ${suites.join(', ')}`)
  const runs = (suite: Suite) => !only || only.includes(suite)
  const deals = Number(process.env.TENANTBASE_BENCH_DEALS ?? 1_000_000)

  const started = Date.now()
  const stack = await startBenchStack(log)
  const url = (login: string) => stack.cluster.url(login, stack.database)
  const owner = new pg.Pool({ connectionString: url('postgres'), max: 4 })
  const authenticator = new pg.Pool({ connectionString: url('authenticator'), max: 8 })
  const authAdmin = new pg.Pool({ connectionString: url('supabase_auth_admin'), max: 2 })
  // A connection still closing when the cluster stops must not crash the run.
  for (const pool of [owner, authenticator, authAdmin]) pool.on('error', () => undefined)
  const api = { url: stack.apiUrl, anonKey: stack.anonKey, serviceRoleKey: stack.serviceRoleKey }
  const rows: BenchRow[] = []
  try {
    let data: RlsData | undefined
    if (runs('rls') || runs('peers') || runs('storage') || runs('graph')) {
      data = await seedRlsData(owner, deals, log)
    }
    if (data && runs('rls')) rows.push(...(await rlsBench(owner, authenticator, data, log)))
    if (data && runs('peers')) rows.push(...(await peersBench(owner, authenticator, data, log)))
    if (data && runs('storage'))
      rows.push(...(await storageListBench(url(SUPERUSER), api, data, log)))
    if (runs('graph'))
      rows.push(
        ...(await graphBench(owner, authAdmin, api, log, {
          ownerOf200: data ? 'owner@bench-target.test' : undefined,
        })),
      )
    if (runs('stack'))
      rows.push(
        ...(await stackBench(
          { api_url: api.url, anon_key: api.anonKey, service_role_key: api.serviceRoleKey },
          authenticator,
          log,
          stack.cluster,
        )),
      )
  } finally {
    await Promise.all([owner.end(), authenticator.end(), authAdmin.end()])
    await stack.close()
  }
  console.log(formatTable(rows))
  const file = path.join(repoRoot(), 'bench-results.json')
  await writeResults(file, rows)
  log(`wrote ${file} (${Math.round((Date.now() - started) / 1000)} s)`)
  const missed = rows.filter((r) => r.met === false)
  if (missed.length > 0) log(`goals missed: ${missed.map((r) => r.name).join('; ')}`)
}

await main()
