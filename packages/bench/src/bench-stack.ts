import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  type EmbeddedCluster,
  freePort,
  SUPERUSER,
  startCluster,
} from '@tenantbase/local-supabase/cluster'
import { startGateway } from '@tenantbase/local-supabase/gateway'
import { loadStackConfig } from '@tenantbase/local-supabase/gateway/config'
import { ANON_KEY, SERVICE_ROLE_KEY } from '@tenantbase/local-supabase/keys'
import { applyMigrations, packageSchema } from '@tenantbase/local-supabase/migrations'
import {
  createDatabase,
  installClusterRoles,
  installDatabasePlatform,
} from '@tenantbase/local-supabase/platform'

export type BenchStack = {
  cluster: EmbeddedCluster
  database: string
  apiUrl: string
  anonKey: string
  serviceRoleKey: string
  close(): Promise<void>
}

/**
 * A throwaway cluster whose database is built from the SQL packages (as the test templates are),
 * not from supabase/migrations: the bench measures the SQL of this checkout, whether or not its
 * migrations have been generated yet. The gateway runs in this process, on a free port.
 */
export async function startBenchStack(log: (s: string) => void): Promise<BenchStack> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tenantbase-bench-'))
  await chmod(dir, 0o755)
  const cluster = await startCluster({
    dataDir: path.join(dir, 'db'),
    port: await freePort(),
    persistent: false,
    fast: true,
  })
  const database = 'bench'
  try {
    log('building the database from the SQL packages')
    await installClusterRoles(cluster)
    await createDatabase(cluster, database)
    await installDatabasePlatform(cluster, database)
    await applyMigrations(cluster, database, await packageSchema('supabase'))
    const gateway = await startGateway({
      databaseUrl: cluster.url(SUPERUSER, database),
      port: await freePort(),
      // supabase/config.toml, as the real stack reads it (the claims hook on every token).
      config: await loadStackConfig(),
      storageDir: path.join(dir, 'storage'),
      mailer: { send: async () => undefined },
    })
    return {
      cluster,
      database,
      apiUrl: gateway.url,
      anonKey: ANON_KEY,
      serviceRoleKey: SERVICE_ROLE_KEY,
      close: async () => {
        await gateway.close().catch(() => undefined)
        await cluster.stop()
        await rm(dir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await cluster.stop().catch(() => undefined)
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}
