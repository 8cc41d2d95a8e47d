import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '@tenantbase/local-supabase/cluster'
import { repoRoot } from '@tenantbase/local-supabase/repo-root'
import { launchStack } from '@tenantbase/local-supabase/stack'
import pg from 'pg'
import { type BenchRow, formatTable, writeResults } from '#src/report.ts'
import { graphBench } from '#src/suites/graph.ts'
import { rlsListBench } from '#src/suites/rls-list.ts'
import { stackBench } from '#src/suites/stack.ts'

const log = (message: string) => console.error(`[bench] ${message}`)

/** `pnpm bench`: a fresh throwaway stack, seeded here, measured side by side. */
async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tenantbase-bench-'))
  await chmod(dir, 0o755)
  log('starting a throwaway stack')
  const stack = await launchStack({
    ports: {
      api: await freePort(),
      db: await freePort(),
      mail: await freePort(),
      smtp: await freePort(),
    },
    dataDir: path.join(dir, 'db'),
    storageDir: path.join(dir, 'storage'),
    persistent: false,
    fast: true,
  })
  const url = (login: string) => stack.cluster.url(login, 'postgres')
  const owner = new pg.Pool({ connectionString: url('postgres'), max: 4 })
  const authenticator = new pg.Pool({ connectionString: url('authenticator'), max: 8 })
  const authAdmin = new pg.Pool({ connectionString: url('supabase_auth_admin'), max: 2 })
  const rows: BenchRow[] = []
  // TENANTBASE_BENCH_ONLY=rls|graph|stack runs one suite (for investigating a row).
  const only = process.env.TENANTBASE_BENCH_ONLY
  const status = stack.status as { api_url: string; anon_key: string; service_role_key: string }
  try {
    if (!only || only === 'rls') rows.push(...(await rlsListBench(owner, authenticator, log)))
    if (!only || only === 'graph') rows.push(...(await graphBench(owner, authAdmin, owner, log)))
    if (!only || only === 'stack') rows.push(...(await stackBench(status, authenticator, log)))
  } finally {
    await Promise.all([owner.end(), authenticator.end(), authAdmin.end()])
    await stack.close()
    await rm(dir, { recursive: true, force: true })
  }
  console.log(formatTable(rows))
  const file = path.join(repoRoot(), 'bench-results.json')
  await writeResults(file, rows)
  log(`wrote ${file}`)
}

await main()
