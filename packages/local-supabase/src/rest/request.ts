import type { Context } from 'hono'
import type pg from 'pg'
import { InvalidJwtError, resolveCaller } from '#src/gateway/caller.ts'
import type { Caller, GatewayContext } from '#src/gateway/context.ts'
import { RestError } from '#src/rest/errors.ts'
import {
  type MediaType,
  negotiate,
  type Preferences,
  parsePreferences,
} from '#src/rest/preferences.ts'
import type { SchemaCache } from '#src/rest/schema-cache.ts'

/** What every REST handler works from: the caller, schema, preferences, media type, cache. */
export type RestRequest = {
  ctx: GatewayContext
  c: Context
  caller: Caller
  schema: string
  prefs: Preferences
  media: MediaType
  query: URLSearchParams
  cache: SchemaCache
  /** Reloads the schema cache (after a miss, as PostgREST reloads on NOTIFY). */
  reload(): Promise<SchemaCache>
}

/** Accept-Profile / Content-Profile (src/PostgREST/ApiRequest.hs), or 406 PGRST106. */
export function requestSchema(c: Context, schemas: string[], write: boolean): string {
  const requested = c.req.header(write ? 'content-profile' : 'accept-profile')
  if (!requested) return schemas[0] ?? 'public'
  if (!schemas.includes(requested)) {
    throw new RestError(
      406,
      'PGRST106',
      `Invalid schema: ${requested}`,
      null,
      `Only the following schemas are exposed: ${schemas.join(', ')}`,
    )
  }
  return requested
}

/**
 * The caller as PostgREST sees it behind the CLI's Kong: Kong forwards whatever key it gets
 * without validating it, and a request with no token at all runs as the anon role.
 */
export async function restCaller(ctx: GatewayContext, c: Context): Promise<Caller> {
  try {
    return await resolveCaller(ctx, c.req.raw.headers)
  } catch (error) {
    if (error instanceof InvalidJwtError && error.reason === 'missing') {
      return { role: 'anon', claims: {}, token: '' }
    }
    throw error
  }
}

export async function buildRequest(
  ctx: GatewayContext,
  c: Context,
  write: boolean,
  loadCache: (fresh?: boolean) => Promise<SchemaCache>,
): Promise<RestRequest> {
  const schema = requestSchema(c, ctx.config.api.schemas, write)
  const caller = await restCaller(ctx, c)
  const cache = await loadCache()
  const prefs = parsePreferences(c.req.raw.headers.get('prefer')?.split(/\s*,\s*/) ?? [])
  const media = negotiate(c.req.header('accept'), cache.settings.planEnabled)
  return {
    ctx,
    c,
    caller,
    schema,
    prefs,
    media,
    query: new URL(c.req.url).searchParams,
    cache,
    reload: () => loadCache(true),
  }
}

export type Client = pg.PoolClient
