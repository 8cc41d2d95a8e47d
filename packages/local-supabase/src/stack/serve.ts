import { mkdir } from 'node:fs/promises'
import { type Cluster, startCluster } from '#src/db/cluster.ts'
import { externalCluster } from '#src/db/external-cluster.ts'
import { stackPaths } from '#src/stack/paths.ts'
import { stackPorts } from '#src/stack/ports.ts'
import { prepareDatabase } from '#src/stack/prepare-database.ts'
import { startServices } from '#src/stack/services.ts'
import { clearState, type StackStatus, writeState } from '#src/stack/state.ts'

/**
 * Runs the whole local stack in this process until SIGINT/SIGTERM: PostgreSQL (embedded, or the
 * server of DATABASE_URL), migrations and seed, then the HTTP gateway and the mail catcher.
 */
export async function serve(): Promise<StackStatus> {
  const paths = stackPaths()
  await mkdir(paths.storageDir, { recursive: true })
  const startedAt = new Date().toISOString()
  let cluster: Cluster | undefined
  let closeServices: () => Promise<void> = async () => undefined
  const shutdown = async () => {
    await closeServices().catch(() => undefined)
    await cluster?.stop().catch(() => undefined)
    await clearState(process.pid)
    process.exit(0)
  }
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
  try {
    const ports = await stackPorts()
    const databaseUrl = process.env.DATABASE_URL
    cluster = databaseUrl
      ? externalCluster(databaseUrl)
      : await startCluster({ dataDir: paths.dataDir, port: ports.db, persistent: true })
    await prepareDatabase(cluster)
    const services = await startServices({ cluster, ports, storageDir: paths.storageDir })
    closeServices = services.close
    const status: StackStatus = { db_url: cluster.url('postgres', 'postgres'), ...services.status }
    await writeState({ pid: process.pid, started_at: startedAt, status })
    return status
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    await writeState({ pid: process.pid, started_at: startedAt, error: message })
    await closeServices().catch(() => undefined)
    await cluster?.stop().catch(() => undefined)
    throw error
  }
}
