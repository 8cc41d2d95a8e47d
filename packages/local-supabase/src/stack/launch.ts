import { type Cluster, startCluster } from '#src/db/cluster.ts'
import { externalCluster } from '#src/db/external-cluster.ts'
import type { StackPorts } from '#src/stack/ports.ts'
import { prepareDatabase } from '#src/stack/prepare-database.ts'
import { startServices } from '#src/stack/services.ts'
import type { StackStatus } from '#src/stack/state.ts'

export type LaunchOptions = {
  ports: StackPorts
  storageDir: string
  /** Embedded cluster data; ignored when databaseUrl is given. */
  dataDir: string
  persistent: boolean
  /** Durability off, for throwaway stacks (e2e, benchmarks). */
  fast?: boolean
  databaseUrl?: string
  configure?: Parameters<typeof startServices>[0]['configure']
}

export type LaunchedStack = { status: StackStatus; cluster: Cluster; close(): Promise<void> }

/**
 * Brings up the whole local stack in this process: PostgreSQL (embedded, or the server of
 * databaseUrl), platform layer, migrations and seed, then the HTTP gateway and the mail catcher.
 */
export async function launchStack(options: LaunchOptions): Promise<LaunchedStack> {
  const cluster = options.databaseUrl
    ? externalCluster(options.databaseUrl)
    : await startCluster({
        dataDir: options.dataDir,
        port: options.ports.db,
        persistent: options.persistent,
        fast: options.fast,
      })
  try {
    await prepareDatabase(cluster)
    const services = await startServices({
      cluster,
      ports: options.ports,
      storageDir: options.storageDir,
      configure: options.configure,
    })
    return {
      cluster,
      status: { db_url: cluster.url('postgres', 'postgres'), ...services.status },
      close: async () => {
        await services.close().catch(() => undefined)
        await cluster.stop()
      },
    }
  } catch (error) {
    await cluster.stop().catch(() => undefined)
    throw error
  }
}
