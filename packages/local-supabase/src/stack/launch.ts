import { type Cluster, type EmbeddedCluster, startCluster } from '#src/db/cluster.ts'
import { checkExternalDatabase, externalCluster } from '#src/db/external-cluster.ts'
import { type HeldPorts, holdPorts } from '#src/stack/held-ports.ts'
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
  /** A superuser URL of an existing server to use instead of the embedded one. */
  databaseUrl?: string
  /** The name messages give databaseUrl (the developer's stack reads TENANTBASE_DATABASE_URL). */
  databaseUrlVariable?: string
  /** Keeps the signing key of access tokens here across restarts (a fresh key per run without). */
  signingKeyFile?: string
  /** The stack home, told by the gateway to a stack:start of another checkout. */
  stackHome?: string
  /** PostgreSQL's own log lines (the developer's stack writes them to stack.log). */
  onDatabaseLog?: (line: string) => void
  configure?: Parameters<typeof startServices>[0]['configure']
}

export type LaunchedStack = {
  status: StackStatus
  cluster: Cluster
  /** The embedded server, when this process runs it (absent with databaseUrl). */
  embedded?: EmbeddedCluster
  close(): Promise<void>
}

/**
 * Brings up the whole local stack in this process: PostgreSQL (embedded, or the server of
 * databaseUrl), platform layer, migrations and seed, then the HTTP gateway and the mail catcher.
 */
export async function launchStack(options: LaunchOptions): Promise<LaunchedStack> {
  // Bound first: see holdPorts for what goes wrong otherwise.
  const { api, mail, smtp } = options.ports
  const held = await holdPorts({ api, mail, smtp })
  try {
    return await launchOnHeldPorts(options, held)
  } catch (error) {
    await held.release()
    throw error
  }
}

async function launchOnHeldPorts(
  options: LaunchOptions,
  held: HeldPorts<'api' | 'mail' | 'smtp'>,
): Promise<LaunchedStack> {
  if (options.databaseUrl) {
    await checkExternalDatabase(options.databaseUrl, options.databaseUrlVariable)
  }
  const embedded = options.databaseUrl
    ? undefined
    : await startCluster({
        dataDir: options.dataDir,
        port: options.ports.db,
        persistent: options.persistent,
        fast: options.fast,
        onLog: options.onDatabaseLog,
      })
  const cluster: Cluster = embedded ?? externalCluster(options.databaseUrl as string)
  try {
    await prepareDatabase(cluster)
    const services = await startServices({
      cluster,
      ports: options.ports,
      held,
      storageDir: options.storageDir,
      signingKeyFile: options.signingKeyFile,
      stackHome: options.stackHome,
      configure: options.configure,
    })
    return {
      cluster,
      embedded,
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
