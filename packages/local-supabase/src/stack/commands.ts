import { spawn } from 'node:child_process'
import { mkdir, open, readFile, rm } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { LocalStackError } from '#src/errors.ts'
import { stackPaths } from '#src/stack/paths.ts'
import { serve } from '#src/stack/serve.ts'
import { isAlive, readState, runningStack, type StackStatus } from '#src/stack/state.ts'

const cliPath = new URL('../cli.ts', import.meta.url).pathname
const START_TIMEOUT_MS = 90_000

/** Starts the stack in the background and waits until it is ready; a running stack is reused. */
export async function startStack(): Promise<{ status: StackStatus; alreadyRunning: boolean }> {
  const running = await runningStack()
  if (running?.status) return { status: running.status, alreadyRunning: true }
  const paths = stackPaths()
  await mkdir(paths.home, { recursive: true })
  const log = await open(paths.logFile, 'w')
  const child = spawn(process.execPath, [cliPath, 'serve'], {
    detached: true,
    stdio: ['ignore', log.fd, log.fd],
    env: process.env,
  })
  child.unref()
  await log.close()
  const pid = child.pid ?? -1
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    const state = await readState()
    if (state?.pid === pid && state.status) return { status: state.status, alreadyRunning: false }
    if (state?.pid === pid && state.error) throw startFailure(state.error)
    if (!isAlive(pid)) throw startFailure('the stack process exited')
    await sleep(100)
  }
  throw startFailure(`not ready after ${START_TIMEOUT_MS / 1000} s`)
}

function startFailure(reason: string): LocalStackError {
  return new LocalStackError(
    'stack_start_failed',
    `The local stack did not start: ${reason}\nSee ${stackPaths().logFile} for the full log.`,
  )
}

/** Stops the background stack; stopping a stopped stack is not an error. */
export async function stopStack(): Promise<boolean> {
  const state = await readState()
  if (!state || !isAlive(state.pid)) {
    await rm(stackPaths().stateFile, { force: true })
    return false
  }
  process.kill(state.pid, 'SIGTERM')
  const deadline = Date.now() + 20_000
  while (isAlive(state.pid)) {
    if (Date.now() > deadline) {
      throw new LocalStackError(
        'stack_stop_failed',
        `The stack (pid ${state.pid}) did not stop within 20 s; kill it with \`kill ${state.pid}\`.`,
      )
    }
    await sleep(100)
  }
  await rm(stackPaths().stateFile, { force: true })
  return true
}

/** Wipes the local database and files, then starts again: platform, migrations and seed. */
export async function resetStack(): Promise<StackStatus> {
  if (process.env.DATABASE_URL) {
    throw new LocalStackError(
      'reset_external_database',
      'stack:reset wipes the embedded database only; with DATABASE_URL set, reset that server yourself.',
    )
  }
  await stopStack()
  const paths = stackPaths()
  await rm(paths.dataDir, { recursive: true, force: true })
  await rm(paths.storageDir, { recursive: true, force: true })
  return (await startStack()).status
}

/** Runs the stack in the foreground (pnpm dev) until Ctrl-C. */
export async function runForeground(): Promise<StackStatus> {
  const running = await runningStack()
  if (running) {
    throw new LocalStackError(
      'stack_already_running',
      `A background stack is running (pid ${running.pid}); stop it with \`pnpm stack:stop\` first.`,
    )
  }
  return serve()
}

export async function stackLogTail(lines = 20): Promise<string> {
  const text = await readFile(stackPaths().logFile, 'utf8').catch(() => '')
  return text.split('\n').slice(-lines).join('\n')
}
