import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'

const ALLOW_HEADERS = [
  'authorization',
  'apikey',
  'content-type',
  'x-client-info',
  'accept-profile',
  'content-profile',
  'prefer',
  'range',
  'x-upsert',
  'x-supabase-api-version',
  'cache-control',
]
const EXPOSE_HEADERS = ['content-range', 'x-total-count', 'link', 'x-supabase-api-version']

/**
 * CORS for every route, as the CLI's Kong answers: any origin, with credentials. Preflights are
 * answered by Hono's cors middleware. On other requests the same headers are added to the
 * response the route returned, after it: Hono's middleware sets them on a response made before
 * the route runs, which makes Hono rebuild the route's response around a body stream, a cost
 * on every request (see docs/benchmarks.md).
 */
export function corsHeaders(): MiddlewareHandler {
  const preflight = cors({
    origin: (origin) => origin,
    allowHeaders: ALLOW_HEADERS,
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    exposeHeaders: EXPOSE_HEADERS,
    credentials: true,
    maxAge: 3600,
  })
  const expose = EXPOSE_HEADERS.join(',')
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next)
    const origin = c.req.header('origin')
    await next()
    const apply = (headers: Headers) => {
      if (origin) headers.set('access-control-allow-origin', origin)
      headers.set('access-control-allow-credentials', 'true')
      headers.set('access-control-expose-headers', expose)
      headers.append('vary', 'Origin')
    }
    try {
      apply(c.res.headers)
    } catch {
      // A response with immutable headers (Response.error(), a fetched response) is copied.
      c.res = new Response(c.res.body, c.res)
      apply(c.res.headers)
    }
  }
}
