import { spawn } from 'node:child_process'
import { mkdir, open, rm } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { stopOrphanedServer } from '#src/db/postmaster.ts'
import { DATABASE_URL_VARIABLE, stackEnv } from '#src/env.ts'
import { LocalStackError } from '#src/errors.ts'
import { isAlive, signal, waitForExit } from '#src/processes.ts'
import { inspectStack } from '#src/stack/health.ts'
import { rotateLog } from '#src/stack/log-file.ts'
import { type StackPaths, stackPaths } from '#src/stack/paths.ts'
import { readState, type StackStatus } from '#src/stack/state.ts'

const cliPath = new URL('../cli.ts', import.meta.url).pathname
const START_TIMEOUT_MS = 90_000
const STOP_TIMEOUT_MS = 20_000

export type StartResult = { status: StackStatus; alreadyRunning: boolean; notes: string[] }

/**
 * Starts the stack in the background and waits until it is ready. A healthy running stack is
 * reused; a half-dead one (a part down, or PostgreSQL left behind by a killed stack) is stopped
 * and started again.
 */
export async function startStack(): Promise<StartResult> {
  stackEnv() // a wrong TENANTBASE_* value is reported before anything starts
  const paths = stackPaths()
  const notes: string[] = []
  const found = await inspectStack(paths)
  if (found.kind === 'running') {
    const down = found.parts.filter((part) => !part.up)
    if (down.length === 0 && found.state.status) {
      return { status: found.state.status, alreadyRunning: true, notes }
    }
    await stopProcess(found.state.pid)
    notes.push(
      `Restarted the local stack: its ${down.map((part) => part.name).join(' and ')} did not answer.`,
    )
  } else if (found.kind === 'starting') {
    return { status: await waitUntilReady(paths, found.state.pid), alreadyRunning: true, notes }
  }
  const orphan = await stopOrphanedServer(paths.dataDir)
  if (orphan)
    notes.push(`Stopped PostgreSQL (pid ${orphan}) left running by a stack that was killed.`)
  await mkdir(paths.home, { recursive: true })
  await rm(paths.stateFile, { force: true })
  await rotateLog(paths.logFile)
  // Appended, never truncated: the log of a run that went wrong is still there after a restart.
  const log = await open(paths.logFile, 'a')
  await log.write(`\n==== stack:start ${new Date().toISOString()} ====\n`)
  const child = spawn(process.execPath, [cliPath, 'serve'], {
    detached: true,
    stdio: ['ignore', log.fd, log.fd],
    env: process.env,
  })
  child.unref()
  await log.close()
  return { status: await waitUntilReady(paths, child.pid ?? -1), alreadyRunning: false, notes }
}

async function waitUntilReady(paths: StackPaths, pid: number): Promise<StackStatus> {
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    const state = readState(paths.stateFile)
    if (state?.pid === pid && state.status) return state.status
    if (state?.pid === pid && state.error) {
      throw new LocalStackError('stack_start_failed', state.error)
    }
    if (!isAlive(pid)) {
      throw new LocalStackError(
        'stack_start_failed',
        `The local stack did not start: its process exited.\nSee ${paths.logFile} for the full log.`,
      )
    }
    await sleep(100)
  }
  throw new LocalStackError(
    'stack_start_failed',
    `The local stack did not start within ${START_TIMEOUT_MS / 1000} s.\nSee ${paths.logFile} for the full log.`,
  )
}

/** Asks the stack process to stop (it closes the gateway and stops PostgreSQL), then insists. */
async function stopProcess(pid: number): Promise<void> {
  signal(pid, 'SIGTERM')
  // A stopped (SIGSTOP) process only acts on SIGTERM once it runs again.
  signal(pid, 'SIGCONT')
  if (await waitForExit(pid, STOP_TIMEOUT_MS)) return
  signal(pid, 'SIGKILL')
  if (await waitForExit(pid, 5_000)) return
  throw new LocalStackError(
    'stack_stop_failed',
    `The stack process (pid ${pid}) did not stop.\nFix: kill it with \`kill -9 ${pid}\`.`,
  )
}

export type StopResult = { stopped: boolean; orphanDbPid?: number }

/** Stops the background stack and whatever its data directory still runs. */
export async function stopStack(): Promise<StopResult> {
  const paths = stackPaths()
  const state = readState(paths.stateFile)
  let stopped = false
  if (state && isAlive(state.pid)) {
    await stopProcess(state.pid)
    stopped = true
  }
  // Left by a stack that was killed before it could stop its server.
  const orphanDbPid = await stopOrphanedServer(paths.dataDir)
  await rm(paths.stateFile, { force: true })
  return { stopped, orphanDbPid }
}

/** Wipes the local database, files and signing key, then starts again: platform, migrations, seed. */
export async function resetStack(): Promise<StackStatus> {
  if (stackEnv().databaseUrl) {
    throw new LocalStackError(
      'reset_external_database',
      `stack:reset wipes the embedded database only, and ${DATABASE_URL_VARIABLE} points the stack at another server.\nFix: reset that server yourself, or unset ${DATABASE_URL_VARIABLE}.`,
    )
  }
  await stopStack()
  const paths = stackPaths()
  await rm(paths.dataDir, { recursive: true, force: true })
  await rm(paths.storageDir, { recursive: true, force: true })
  await rm(paths.signingKeyFile, { force: true })
  return (await startStack()).status
}

/** Runs the stack in the foreground (pnpm dev) until Ctrl-C. */
export async function runForeground(): Promise<StackStatus> {
  stackEnv()
  const paths = stackPaths()
  const found = await inspectStack(paths)
  if (found.kind === 'running' || found.kind === 'starting') {
    throw new LocalStackError(
      'stack_already_running',
      `The local stack already runs in the background (pid ${found.state.pid}), so \`pnpm dev\` did not start a second one.\nFix: use it as it is (\`pnpm stack:status\`), or stop it first with \`pnpm stack:stop\`.`,
    )
  }
  const orphan = await stopOrphanedServer(paths.dataDir)
  if (orphan)
    console.log(`Stopped PostgreSQL (pid ${orphan}) left running by a stack that was killed.`)
  const { serve } = await import('#src/stack/serve.ts')
  return serve()
}
