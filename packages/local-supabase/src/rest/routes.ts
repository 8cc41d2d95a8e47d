import type { Context } from 'hono'
import { Hono } from 'hono'
import { InvalidJwtError } from '#src/gateway/caller.ts'
import type { GatewayContext } from '#src/gateway/context.ts'
import { isDatabaseFailure } from '#src/gateway/database-failure.ts'
import { fromDatabaseError, RestError } from '#src/rest/errors.ts'
import { mutate } from '#src/rest/mutate.ts'
import { readTable } from '#src/rest/read.ts'
import { buildRequest } from '#src/rest/request.ts'
import { callFunction } from '#src/rest/rpc.ts'
import { loadSchemaCache, type SchemaCache } from '#src/rest/schema-cache.ts'

const CACHE_TTL_MS = 2000

/**
 * PostgREST over the authenticator login: one transaction per request as the JWT role. The
 * grammar, schema cache, planning, SQL and response shaping live in their own modules; the
 * routes only dispatch.
 */
export function createRestRoutes(ctx: GatewayContext): Hono {
  const app = new Hono()
  let cache: SchemaCache | undefined
  let loading: Promise<SchemaCache> | undefined

  const loadCache = async (fresh = false): Promise<SchemaCache> => {
    if (!fresh && cache && Date.now() - cache.loadedAt < CACHE_TTL_MS) return cache
    // A failed load (database down) must not stay memoized: the next request tries again.
    loading ??= (async () => {
      try {
        const client = await ctx.pool('authenticator').connect()
        try {
          cache = await loadSchemaCache(client, ctx.config.api.schemas)
          return cache
        } finally {
          client.release()
        }
      } finally {
        loading = undefined
      }
    })()
    return loading
  }

  const request = (c: Context, write: boolean) => buildRequest(ctx, c, write, loadCache)

  app.onError((error, c) => {
    const rest = toRestError(error)
    const headers: Record<string, string> = {
      'proxy-status': `PostgREST; error=${rest.code}`,
      ...rest.headers,
    }
    if (rest.status === 401 && !headers['www-authenticate']) headers['www-authenticate'] = 'Bearer'
    return c.json(
      { code: rest.code, details: rest.details, hint: rest.hint, message: rest.message },
      rest.status as 400,
      headers,
    )
  })

  app.on(['GET', 'HEAD', 'POST'], '/rpc/:fn', async (c) =>
    callFunction(await request(c, c.req.method === 'POST'), c.req.param('fn')),
  )
  app.on(['PUT', 'PATCH', 'DELETE'], '/rpc/:fn', (c) => {
    throw new RestError(405, 'PGRST101', `Cannot use the ${c.req.method} method on RPC`)
  })
  app.on(['GET', 'HEAD'], '/:table', async (c) =>
    readTable(await request(c, false), c.req.param('table')),
  )
  app.post('/:table', async (c) => mutate(await request(c, true), c.req.param('table'), 'insert'))
  app.patch('/:table', async (c) => mutate(await request(c, true), c.req.param('table'), 'update'))
  app.delete('/:table', async (c) => mutate(await request(c, true), c.req.param('table'), 'delete'))

  app.notFound(() => {
    throw new RestError(404, 'PGRST125', 'Invalid path specified in request URL')
  })
  return app
}

function toRestError(error: unknown): RestError {
  if (error instanceof RestError) return error
  if (error instanceof InvalidJwtError) {
    return error.reason === 'expired'
      ? new RestError(401, 'PGRST303', 'JWT expired', null, null, {
          'www-authenticate': 'Bearer error="invalid_token", error_description="JWT expired"',
        })
      : new RestError(401, 'PGRST301', error.message, error.details, null, {
          'www-authenticate': `Bearer error="invalid_token", error_description="${error.message.replaceAll('"', "'")}"`,
        })
  }
  if (error instanceof URIError) {
    return new RestError(400, 'PGRST100', 'Malformed percent-encoding in the request URL')
  }
  const e = error as { code?: string; message?: string; detail?: string; role?: string }
  if (e.code === 'PGRST') return raisedError(e)
  const role = e.role ?? 'authenticated'
  const rest = fromDatabaseError(error, role)
  if (rest.code === 'PGRST000' && !isDatabaseFailure(error)) console.error('[rest]', error)
  return rest
}

/**
 * `RAISE SQLSTATE 'PGRST' USING message = '{"code":..,"message":..}', detail = '{"status":..,
 * "headers":{..}}'`: the client gets exactly that error and status (PostgREST's raise-pgrst).
 */
function raisedError(e: { message?: string; detail?: string }): RestError {
  let body: { code?: string; message?: string; details?: unknown; hint?: string | null }
  try {
    body = JSON.parse(e.message ?? '')
  } catch {
    return new RestError(
      500,
      'PGRST121',
      'Could not parse JSON in the "RAISE SQLSTATE \'PGRST\'" error',
      `Invalid JSON value for MESSAGE: '${e.message}'`,
      "MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'.",
    )
  }
  let detail: { status?: number; headers?: Record<string, string> }
  try {
    detail = JSON.parse(e.detail ?? '')
  } catch {
    return new RestError(
      500,
      'PGRST121',
      'Could not parse JSON in the "RAISE SQLSTATE \'PGRST\'" error',
      e.detail
        ? `Invalid JSON value for DETAIL: '${e.detail}'`
        : 'DETAIL is missing in the RAISE statement',
      "DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'.",
    )
  }
  return new RestError(
    Number(detail.status) || 500,
    String(body.code ?? ''),
    String(body.message ?? ''),
    body.details ?? null,
    body.hint ?? null,
    detail.headers ?? {},
  )
}
