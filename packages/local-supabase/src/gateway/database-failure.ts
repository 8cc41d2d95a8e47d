/**
 * One place that tells "the database is down or unreachable" from an error of the request, so
 * REST, Auth and Storage answer an outage the way the real services do (a 5xx the client may
 * retry), never with a client error. The pools reconnect on their own once the server is back.
 */
export type DatabaseFailure = {
  /**
   * connect: no connection could be opened (refused, host unknown, starting up, too many);
   * lost: an open connection broke mid-request (server killed or restarted);
   * pool_timeout: no pooled connection became free in time;
   * shutdown: the server ended the session (57P01/57P02: shutting down, crash of another backend).
   */
  kind: 'connect' | 'lost' | 'pool_timeout' | 'shutdown'
  /** What the driver said, in libpq's words where PostgREST would show them. */
  detail: string
}

const CONNECT_ERRNOS = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EADDRNOTAVAIL',
])
const LOST_ERRNOS = new Set(['ECONNRESET', 'EPIPE'])
// SQLSTATEs a server sends while refusing a new connection.
const CONNECT_SQLSTATES = new Set(['57P03', '53300', '08001', '08004'])
const LOST_SQLSTATES = new Set(['08000', '08003', '08006'])
const SHUTDOWN_SQLSTATES = new Set(['57P01', '57P02'])

type DriverError = {
  code?: string
  message?: string
  address?: string
  port?: number
  hostname?: string
}

export function classifyDatabaseFailure(error: unknown): DatabaseFailure | undefined {
  if (!error || typeof error !== 'object') return undefined
  const e = error as DriverError
  const message = e.message ?? ''
  const code = e.code ?? ''
  if (code === 'ECONNREFUSED' && e.address) {
    return {
      kind: 'connect',
      detail: `connection to server at "${e.address}", port ${e.port} failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?`,
    }
  }
  if (CONNECT_ERRNOS.has(code)) return { kind: 'connect', detail: message }
  if (CONNECT_SQLSTATES.has(code)) return { kind: 'connect', detail: message }
  if (message === 'timeout exceeded when trying to connect') {
    return { kind: 'pool_timeout', detail: message }
  }
  if (/^Connection terminated due to connection timeout/.test(message)) {
    return { kind: 'connect', detail: 'timeout expired' }
  }
  if (
    LOST_ERRNOS.has(code) ||
    LOST_SQLSTATES.has(code) ||
    /^Connection terminated/.test(message) ||
    /is not queryable$/.test(message)
  ) {
    return {
      kind: 'lost',
      detail:
        'server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.',
    }
  }
  if (SHUTDOWN_SQLSTATES.has(code)) return { kind: 'shutdown', detail: message }
  return undefined
}

/**
 * PostgREST's answer (PostgREST.Error: ConnectionUsageError → 503 PGRST000, ClientError →
 * 503 PGRST001, AcquisitionTimeoutUsageError → 504 PGRST003). A session ended by the server
 * (57P01...) keeps its SQLSTATE and PostgREST's status mapping, so it is not handled here.
 */
export function restDatabaseFailure(
  error: unknown,
): { status: number; code: string; message: string; details: string | null } | undefined {
  const failure = classifyDatabaseFailure(error)
  if (!failure || failure.kind === 'shutdown') return undefined
  noteDatabaseFailure('rest', failure)
  if (failure.kind === 'pool_timeout') {
    return {
      status: 504,
      code: 'PGRST003',
      message: 'Timed out acquiring connection from connection pool.',
      details: null,
    }
  }
  if (failure.kind === 'lost') {
    return {
      status: 503,
      code: 'PGRST001',
      message: 'Database client error. Retrying the connection.',
      details: failure.detail,
    }
  }
  return {
    status: 503,
    code: 'PGRST000',
    message: 'Database connection error. Retrying the connection.',
    details: failure.detail,
  }
}

/**
 * GoTrue's answer: its handlers wrap driver errors as internal errors, which reach the client
 * as HTTP 500 `unexpected_failure` (auth-js turns every 500 into AuthRetryableFetchError).
 */
export function authDatabaseFailure(
  error: unknown,
): { status: 500; code: 'unexpected_failure'; message: string } | undefined {
  const failure = classifyDatabaseFailure(error)
  if (!failure) return undefined
  noteDatabaseFailure('auth', failure)
  return {
    status: 500,
    code: 'unexpected_failure',
    message: 'Unexpected failure, please check server logs for more information',
  }
}

/** Storage's answer: an error it does not render itself is HTTP 500 InternalError. */
export function storageDatabaseFailure(
  error: unknown,
): { statusCode: 500; code: 'InternalError'; error: 'Internal'; message: string } | undefined {
  const failure = classifyDatabaseFailure(error)
  if (!failure) return undefined
  noteDatabaseFailure('storage', failure)
  return {
    statusCode: 500,
    code: 'InternalError',
    error: 'Internal',
    message: 'Internal Server Error',
  }
}

export const isDatabaseFailure = (error: unknown) => classifyDatabaseFailure(error) !== undefined

// One log line per service and kind every few seconds: an outage under traffic must not bury
// the log in identical stack traces.
const LOG_INTERVAL_MS = 5_000
const lastLogged = new Map<string, number>()

function noteDatabaseFailure(service: string, failure: DatabaseFailure) {
  const key = `${service}:${failure.kind}`
  const now = Date.now()
  if (now - (lastLogged.get(key) ?? 0) < LOG_INTERVAL_MS) return
  lastLogged.set(key, now)
  const firstLine = failure.detail.split('\n')[0]
  console.error(
    `[${service}] database unavailable (${failure.kind}: ${firstLine}); answering 5xx until it is back`,
  )
}
