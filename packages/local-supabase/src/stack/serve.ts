import { mkdir } from 'node:fs/promises'
import { type LaunchedStack, launchStack } from '#src/stack/launch.ts'
import { stackPaths } from '#src/stack/paths.ts'
import { stackPorts } from '#src/stack/ports.ts'
import { clearState, type StackStatus, writeState } from '#src/stack/state.ts'

/**
 * Runs the developer's stack in this process until SIGINT/SIGTERM, with its data in
 * `.tenantbase/`, and records its status for `stack:status`.
 */
export async function serve(): Promise<StackStatus> {
  const paths = stackPaths()
  await mkdir(paths.storageDir, { recursive: true })
  const startedAt = new Date().toISOString()
  let stack: LaunchedStack | undefined
  const shutdown = async () => {
    await stack?.close().catch(() => undefined)
    await clearState(process.pid)
    process.exit(0)
  }
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
  try {
    stack = await launchStack({
      ports: await stackPorts(),
      storageDir: paths.storageDir,
      dataDir: paths.dataDir,
      persistent: true,
      databaseUrl: process.env.DATABASE_URL,
    })
    await writeState({ pid: process.pid, started_at: startedAt, status: stack.status })
    return stack.status
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    await writeState({ pid: process.pid, started_at: startedAt, error: message })
    throw error
  }
}
