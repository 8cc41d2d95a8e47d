import type { Socket } from 'node:net'
import type { Context } from 'hono'
import pg from 'pg'
import type { Caller, GatewayContext } from '#src/gateway/context.ts'
import { RestError } from '#src/rest/errors.ts'

/** The statements of one request's transaction. */
export type Transaction = {
  /**
   * Runs a statement in the transaction. With `last`, the transaction's end (COMMIT, or ROLLBACK
   * when the request asked for it) goes out right behind the statement, in the same round trip:
   * only for a statement after which nothing can make the request roll back. A statement that
   * fails still rolls back, since PostgreSQL ends an aborted transaction with ROLLBACK whatever
   * it is told.
   */
  query(text: string, values?: unknown[], options?: { last?: boolean }): Promise<pg.QueryResult>
}

// Prepared once per connection (the text never changes): the request settings are the one
// statement every request runs.
const SETTINGS = `select set_config('search_path', $6, true), set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
  set_config('request.method', $3, true), set_config('request.path', $4, true),
  set_config('request.headers', $5, true), set_config('request.cookies', $7, true)`
const SETTINGS_WITH_TIMEZONE = `${SETTINGS}, set_config('timezone', $8, true)`

/**
 * One transaction per request as the caller's role, with PostgREST's request settings
 * (src/PostgREST/Query/PreQuery.hs txVarQuery): role, request.jwt.claims, method, path,
 * headers, search_path. `rollback` ends it with ROLLBACK (Prefer: tx=rollback, or a failed
 * singular/max-affected check raised inside fn).
 *
 * The authenticator pool's connections pipeline their queries (see gateway/server.ts): BEGIN,
 * the settings and fn's first statement leave in one write and are answered in one round trip,
 * and a `last` statement takes the COMMIT with it, so a one-statement request costs one round
 * trip instead of four. Setting an unknown role fails in PostgreSQL itself (22023, `role "x"
 * does not exist`, answered 401 as PostgREST does), so no statement behind it can run as the
 * authenticator.
 */
export async function inTransaction<T>(
  ctx: GatewayContext,
  c: Context,
  caller: Caller,
  options: { readOnly: boolean; rollback?: boolean; schema: string; timezone?: string },
  fn: (tx: Transaction) => Promise<T>,
): Promise<T> {
  const headers: Record<string, string> = {}
  c.req.raw.headers.forEach((value, key) => {
    if (key !== 'cookie') headers[key] = value
  })
  const cookies: Record<string, string> = {}
  for (const part of (c.req.header('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0) cookies[part.slice(0, eq).trim()] = part.slice(eq + 1).trim()
  }
  // PostgREST puts the schema before db-extra-search-path as it is, without removing a
  // duplicate: "public", "public", "extensions" for public (visible in EXPLAIN's settings).
  const searchPath = [options.schema, 'public', 'extensions']
    .map((s) => pg.escapeIdentifier(s))
    .join(', ')
  const settings = [
    caller.role,
    JSON.stringify({ ...caller.claims, role: caller.role }),
    c.req.method,
    new URL(c.req.url).pathname.replace(/^\/rest\/v1/, ''),
    JSON.stringify(headers),
    searchPath,
    JSON.stringify(cookies),
    ...(options.timezone ? [options.timezone] : []),
  ]
  const end = options.rollback ? 'rollback' : 'commit'

  const client = await ctx.pool('authenticator').connect()
  let ended: Promise<unknown> | undefined
  const tx: Transaction = {
    query(text, values, { last = false } = {}) {
      if (ended) throw new Error('A statement was sent after the end of its transaction')
      const result = client.query(text, values)
      if (last) {
        ended = client.query(end)
        // Awaited below; this only keeps a failure from counting as unhandled meanwhile.
        ended.catch(() => undefined)
      }
      return result
    },
  }
  const socket = socketOf(client)
  socket?.cork()
  // Settled to the error of BEGIN or the settings, if any: that is the request's error, not
  // the "current transaction is aborted" its statements then get.
  const prelude = Promise.all([
    client.query(options.readOnly ? 'begin read only' : 'begin'),
    client.query({
      name: options.timezone ? 'tenantbase_rest_settings_tz' : 'tenantbase_rest_settings',
      text: options.timezone ? SETTINGS_WITH_TIMEZONE : SETTINGS,
      values: settings,
    }),
  ]).then(
    () => undefined,
    (error: unknown) => ({ error }),
  )
  // Runs fn up to its first await, so its first statement joins the same write.
  const running = (async () => fn(tx))()
  socket?.uncork()
  try {
    let result: T
    try {
      result = await running
    } catch (error) {
      throw (await prelude)?.error ?? error
    }
    const failed = await prelude
    if (failed) throw failed.error
    await (ended ?? client.query(end))
    return result
  } catch (error) {
    // The connection goes back to the pool outside any transaction.
    if (ended) await ended.catch(() => undefined)
    else await client.query('rollback').catch(() => undefined)
    if (error && typeof error === 'object' && !(error instanceof RestError))
      Object.assign(error, { role: caller.role })
    throw error
  } finally {
    client.release()
  }
}

/** The connection's socket, to send a request's first statements in one write. */
function socketOf(client: pg.PoolClient): Socket | undefined {
  const stream = (client as unknown as { connection?: { stream?: Partial<Socket> } }).connection
    ?.stream
  return typeof stream?.cork === 'function' && typeof stream.uncork === 'function'
    ? (stream as Socket)
    : undefined
}

/** Whether `Prefer: tx=rollback` may end the transaction (db-tx-end ...-allow-override). */
export function txRollback(txEnd: string, preferred: 'commit' | 'rollback' | undefined) {
  const overridable = txEnd.endsWith('allow-override')
  if (overridable && preferred) return { rollback: preferred === 'rollback', applied: true }
  return { rollback: txEnd.startsWith('rollback'), applied: false }
}
