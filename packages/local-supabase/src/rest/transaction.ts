import type { Context } from 'hono'
import pg from 'pg'
import type { Caller, GatewayContext } from '#src/gateway/context.ts'
import { RestError } from '#src/rest/errors.ts'

/**
 * One transaction per request as the caller's role, with PostgREST's request settings
 * (src/PostgREST/Query/PreQuery.hs txVarQuery): role, request.jwt.claims, method, path,
 * headers, search_path. `rollback` ends it with ROLLBACK (Prefer: tx=rollback, or a failed
 * singular/max-affected check raised inside fn).
 */
export async function inTransaction<T>(
  ctx: GatewayContext,
  c: Context,
  caller: Caller,
  options: { readOnly: boolean; rollback?: boolean; schema: string; timezone?: string },
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await ctx.pool('authenticator').connect()
  try {
    await client.query(options.readOnly ? 'begin read only' : 'begin')
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
    // One round trip: check the role exists, then set it and the request settings.
    const { rows } = await client.query(
      `select set_config('search_path', $6, true), set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
         set_config('request.method', $3, true), set_config('request.path', $4, true),
         set_config('request.headers', $5, true), set_config('request.cookies', $7, true)
         ${options.timezone ? ", set_config('timezone', $8, true)" : ''}
       where exists (select 1 from pg_catalog.pg_roles where rolname = $1)`,
      [
        caller.role,
        JSON.stringify({ ...caller.claims, role: caller.role }),
        c.req.method,
        new URL(c.req.url).pathname.replace(/^\/rest\/v1/, ''),
        JSON.stringify(headers),
        searchPath,
        JSON.stringify(cookies),
        ...(options.timezone ? [options.timezone] : []),
      ],
    )
    if (rows.length === 0) {
      throw new RestError(401, '22023', `role "${caller.role}" does not exist`)
    }
    const result = await fn(client)
    await client.query(options.rollback ? 'rollback' : 'commit')
    return result
  } catch (error) {
    await client.query('rollback').catch(() => undefined)
    if (error && typeof error === 'object' && !(error instanceof RestError))
      Object.assign(error, { role: caller.role })
    throw error
  } finally {
    client.release()
  }
}

/** Whether `Prefer: tx=rollback` may end the transaction (db-tx-end ...-allow-override). */
export function txRollback(txEnd: string, preferred: 'commit' | 'rollback' | undefined) {
  const overridable = txEnd.endsWith('allow-override')
  if (overridable && preferred) return { rollback: preferred === 'rollback', applied: true }
  return { rollback: txEnd.startsWith('rollback'), applied: false }
}
