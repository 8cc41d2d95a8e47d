import type { Context } from 'hono'
import { Hono } from 'hono'
import pg from 'pg'
import { InvalidJwtError, resolveCaller } from '#src/gateway/caller.ts'
import type { Caller, GatewayContext } from '#src/gateway/context.ts'
import { isDatabaseFailure } from '#src/gateway/database-failure.ts'
import { fromDatabaseError, RestError } from '#src/rest/errors.ts'
import {
  nonNegativeInt,
  orderClause,
  Params,
  quoteColumn,
  selectList,
  whereClause,
} from '#src/rest/query.ts'
import {
  loadSchemaCache,
  type Relation,
  type RestFunction,
  type SchemaCache,
} from '#src/rest/schema-cache.ts'

const IDENT = /^[A-Za-z_][A-Za-z0-9_$]*$/
const SINGLE = 'application/vnd.pgrst.object+json'
const CACHE_TTL_MS = 2000

type Shaped = { body: string | null; rows: number; total?: number }

/** PostgREST semantics over the authenticator login: one transaction per request as the JWT role. */
export function createRestRoutes(ctx: GatewayContext): Hono {
  const app = new Hono()
  let cache: SchemaCache | undefined

  const schemaCache = async (client: pg.PoolClient, fresh = false) => {
    if (fresh || !cache || Date.now() - cache.loadedAt > CACHE_TTL_MS) {
      cache = await loadSchemaCache(client, ctx.config.api.schemas)
    }
    return cache
  }

  const profile = (c: Context, write: boolean) => {
    const requested = c.req.header(write ? 'content-profile' : 'accept-profile')
    const schemas = ctx.config.api.schemas
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

  const prefer = (c: Context) => {
    const header = c.req.header('prefer') ?? ''
    const values = new Map<string, string>()
    for (const part of header.split(',')) {
      const [k, v] = part.trim().split('=')
      if (k && v) values.set(k.trim(), v.trim())
    }
    return values
  }

  /** Runs fn in one transaction as the caller, with PostgREST's request settings. */
  const asCaller = async <T>(
    c: Context,
    caller: Caller,
    readOnly: boolean,
    fn: (client: pg.PoolClient) => Promise<T>,
  ) => {
    const client = await ctx.pool('authenticator').connect()
    try {
      await client.query(readOnly ? 'begin read only' : 'begin')
      const headers: Record<string, string> = {}
      c.req.raw.headers.forEach((value, key) => {
        if (key !== 'cookie') headers[key] = value
      })
      // One round trip: check the role exists, then set it and the request settings.
      const { rows } = await client.query(
        `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
           set_config('request.method', $3, true), set_config('request.path', $4, true),
           set_config('request.headers', $5, true), set_config('search_path', $6, true)
         where exists (select 1 from pg_catalog.pg_roles where rolname = $1)`,
        [
          caller.role,
          JSON.stringify({ ...caller.claims, role: caller.role }),
          c.req.method,
          new URL(c.req.url).pathname.replace(/^\/rest\/v1/, ''),
          JSON.stringify(headers),
          `${ctx.config.api.schemas.map((s) => pg.escapeIdentifier(s)).join(', ')}, public, extensions`,
        ],
      )
      if (rows.length === 0) {
        throw new RestError(401, '22023', `role "${caller.role}" does not exist`)
      }
      const result = await fn(client)
      await client.query('commit')
      return result
    } catch (error) {
      await client.query('rollback').catch(() => undefined)
      throw error
    } finally {
      client.release()
    }
  }

  const respond = (
    c: Context,
    status: number,
    shaped: Shaped,
    single: boolean,
    extra: Record<string, string> = {},
  ) => {
    if (single) {
      if (shaped.rows !== 1) {
        throw new RestError(
          406,
          'PGRST116',
          'Cannot coerce the result to a single JSON object',
          `The result contains ${shaped.rows} rows`,
        )
      }
      const parsed = JSON.parse(shaped.body ?? '[]')
      return c.body(JSON.stringify(Array.isArray(parsed) ? parsed[0] : parsed), status as 200, {
        'content-type': `${SINGLE}; charset=utf-8`,
        ...extra,
      })
    }
    if (shaped.body === null) return c.body(null, status === 200 ? 204 : (status as 204), extra)
    return c.body(shaped.body, status as 200, {
      'content-type': 'application/json; charset=utf-8',
      ...extra,
    })
  }

  app.onError((error, c) => {
    let rest: RestError
    let role = 'anon'
    if (error instanceof RestError) rest = error
    else if (error instanceof InvalidJwtError) {
      rest =
        error.reason === 'expired'
          ? new RestError(401, 'PGRST303', 'JWT expired')
          : new RestError(
              401,
              'PGRST301',
              error.message === 'No API key found in request'
                ? 'No suitable key or wrong key type'
                : error.message,
              error.details,
            )
    } else {
      role = (error as { role?: string }).role ?? 'authenticated'
      rest = fromDatabaseError(error, role)
      if (rest.code === 'PGRST000' && !isDatabaseFailure(error)) console.error('[rest]', error)
    }
    const headers: Record<string, string> = { 'proxy-status': `PostgREST; error=${rest.code}` }
    if (rest.status === 401) headers['www-authenticate'] = 'Bearer'
    return c.json(
      { code: rest.code, details: rest.details, hint: rest.hint, message: rest.message },
      rest.status as 400,
      headers,
    )
  })

  const caller = async (c: Context) => {
    const resolved = await resolveCaller(ctx, c.req.raw.headers)
    return resolved
  }

  const withRole = <T>(role: string, promise: Promise<T>) =>
    promise.catch((error) => {
      if (error && typeof error === 'object' && !(error instanceof RestError))
        Object.assign(error, { role })
      throw error
    })

  // ---- RPC -------------------------------------------------------------------------------
  const rpc = async (c: Context) => {
    const name = c.req.param('fn') as string
    const write = c.req.method === 'POST'
    const schema = profile(c, write)
    const who = await caller(c)
    let args: Record<string, unknown> = {}
    if (write) {
      const text = await c.req.text()
      if (text.trim()) {
        try {
          args = JSON.parse(text)
        } catch {
          throw new RestError(400, 'PGRST102', 'Empty or invalid json')
        }
        if (!args || typeof args !== 'object' || Array.isArray(args)) {
          throw new RestError(400, 'PGRST102', 'Empty or invalid json')
        }
      }
    } else {
      for (const [k, v] of new URL(c.req.url).searchParams) {
        if (!['select', 'order', 'limit', 'offset'].includes(k) && !v.includes('.')) args[k] = v
      }
    }
    const query = new URL(c.req.url).searchParams
    if (!IDENT.test(name)) throw notFoundFunction(schema, name, Object.keys(args))
    // Volatility decides read-only; look the function up first on a short read.
    const fn = await findFunction(schema, name, Object.keys(args))
    const readOnly = !write || fn.volatility !== 'v'
    const shaped = await withRole(
      who.role,
      asCaller(c, who, readOnly, async (client) => {
        const params = new Params()
        const call = `${pg.escapeIdentifier(fn.schema)}.${pg.escapeIdentifier(fn.name)}(${fn.args
          .filter((a) => a.name in args)
          .map(
            (a) =>
              `${pg.escapeIdentifier(a.name)} => ${params.add(argValue(args[a.name], a.type))}::${a.type}`,
          )
          .join(', ')})`
        if (fn.returnKind === 'void') {
          await client.query(`select ${call}`, params.values)
          return { body: null, rows: 0 } as Shaped
        }
        if (fn.returnKind === 'scalar' && !fn.returnsSet) {
          const { rows } = await client.query(
            `select to_json(${call})::text as body`,
            params.values,
          )
          return { body: rows[0]?.body ?? 'null', rows: 1 } as Shaped
        }
        if (fn.returnKind === 'scalar') {
          const { rows } = await client.query(
            `select coalesce(json_agg(_r.v), '[]')::text as body, count(*)::int as n from ${call} as _r(v)`,
            params.values,
          )
          return { body: rows[0]?.body, rows: rows[0]?.n } as Shaped
        }
        const columns = fn.columns
        const where = whereClause(query, columns, params)
        const sql = `select ${selectList(query.get('select') ?? undefined, columns)} from ${call} _r
          ${where.length ? `where ${where.join(' and ')}` : ''}${orderClause(query.get('order') ?? undefined, columns)}
          ${limitOffset(query)}`
        const { rows } = await client.query(
          `select coalesce(json_agg(_t), '[]')::text as body, count(*)::int as n from (${sql}) _t`,
          params.values,
        )
        if (!fn.returnsSet) {
          const list = JSON.parse(rows[0]?.body ?? '[]') as Record<string, unknown>[]
          const first = list[0]
          const allNull = !first || Object.values(first).every((v) => v === null)
          return { body: allNull ? 'null' : JSON.stringify(first), rows: allNull ? 0 : 1 } as Shaped
        }
        return { body: rows[0]?.body, rows: rows[0]?.n } as Shaped
      }),
    )
    return respond(c, 200, shaped, accepts(c, SINGLE))
  }

  const findFunction = async (
    schema: string,
    name: string,
    keys: string[],
  ): Promise<RestFunction> => {
    const client = await ctx.pool('authenticator').connect()
    try {
      for (const fresh of [false, true]) {
        const found = (await schemaCache(client, fresh)).functions.filter(
          (f) => f.schema === schema && f.name === name,
        )
        const matches = found.filter(
          (f) =>
            keys.every((k) => f.args.some((a) => a.name === k)) &&
            f.args.every((a) => a.hasDefault || keys.includes(a.name)),
        )
        if (matches.length > 1) {
          throw new RestError(
            300,
            'PGRST203',
            `Could not choose the best candidate function between: ${matches.map(() => `${schema}.${name}`).join(', ')}`,
          )
        }
        if (matches[0]) return matches[0]
      }
    } finally {
      client.release()
    }
    throw notFoundFunction(schema, name, keys)
  }

  app.post('/rpc/:fn', rpc)
  app.get('/rpc/:fn', rpc)

  // ---- Tables ----------------------------------------------------------------------------
  const relation = async (schema: string, name: string): Promise<Relation> => {
    const client = await ctx.pool('authenticator').connect()
    try {
      for (const fresh of [false, true]) {
        const found = (await schemaCache(client, fresh)).relations.find(
          (r) => r.schema === schema && r.name === name,
        )
        if (found) return found
      }
    } finally {
      client.release()
    }
    throw new RestError(
      404,
      'PGRST205',
      `Could not find the table '${schema}.${name}' in the schema cache`,
    )
  }

  app.on(['GET', 'HEAD'], '/:table', async (c) => {
    const schema = profile(c, false)
    const table = c.req.param('table')
    if (!IDENT.test(table))
      throw new RestError(
        404,
        'PGRST205',
        `Could not find the table '${schema}.${table}' in the schema cache`,
      )
    const who = await caller(c)
    const rel = await relation(schema, table)
    const query = new URL(c.req.url).searchParams
    const countExact = prefer(c).get('count') === 'exact'
    const shaped = await withRole(
      who.role,
      asCaller(c, who, true, async (client) => {
        const params = new Params()
        const where = whereClause(query, rel.columns, params)
        const from = `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table)}`
        const whereSql = where.length ? ` where ${where.join(' and ')}` : ''
        const sql = `select ${selectList(query.get('select') ?? undefined, rel.columns)} from ${from}${whereSql}${orderClause(query.get('order') ?? undefined, rel.columns)} ${limitOffset(query)}`
        const { rows } = await client.query(
          `select coalesce(json_agg(_t), '[]')::text as body, count(*)::int as n from (${sql}) _t`,
          params.values,
        )
        let total: number | undefined
        if (countExact) {
          const counted = await client.query(
            `select count(*)::int as n from ${from}${whereSql}`,
            params.values,
          )
          total = counted.rows[0]?.n
        }
        return { body: rows[0]?.body, rows: rows[0]?.n, total } as Shaped
      }),
    )
    const offset = nonNegativeInt(query.get('offset') ?? undefined, 'offset') ?? 0
    const range = shaped.rows > 0 ? `${offset}-${offset + shaped.rows - 1}` : '*'
    const headers = { 'content-range': `${range}/${shaped.total ?? '*'}` }
    const partial = shaped.total !== undefined && shaped.rows < shaped.total
    if (c.req.method === 'HEAD') return c.body(null, partial ? 206 : 200, headers)
    return respond(c, partial ? 206 : 200, shaped, accepts(c, SINGLE), headers)
  })

  const mutation = (kind: 'insert' | 'update' | 'delete') => async (c: Context) => {
    const schema = profile(c, true)
    const table = c.req.param('table') as string
    if (!IDENT.test(table))
      throw new RestError(
        404,
        'PGRST205',
        `Could not find the table '${schema}.${table}' in the schema cache`,
      )
    const who = await caller(c)
    const rel = await relation(schema, table)
    const query = new URL(c.req.url).searchParams
    const preferences = prefer(c)
    const representation = preferences.get('return') === 'representation'
    let payload: unknown = null
    if (kind !== 'delete') {
      try {
        payload = JSON.parse((await c.req.text()) || 'null')
      } catch {
        throw new RestError(400, 'PGRST102', 'Empty or invalid json')
      }
      if (!payload || typeof payload !== 'object')
        throw new RestError(400, 'PGRST102', 'Empty or invalid json')
    }
    const shaped = await withRole(
      who.role,
      asCaller(c, who, false, async (client) => {
        const params = new Params()
        const target = `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table)}`
        const returning = representation ? 'returning *' : 'returning 1'
        let statement: string
        if (kind === 'insert') {
          const rows = Array.isArray(payload) ? payload : [payload]
          const listed = query.get('columns')
          const keys = listed
            ? listed.split(',').map((k) => k.replace(/^"|"$/g, ''))
            : [...new Set(rows.flatMap((r) => Object.keys(r as object)))]
          for (const key of keys) {
            if (!rel.columns.some((col) => col.name === key)) {
              throw new RestError(
                400,
                'PGRST204',
                `Could not find the '${key}' column of '${table}' in the schema cache`,
              )
            }
          }
          const cols = keys.map((k) => pg.escapeIdentifier(k)).join(', ')
          let conflict = ''
          const resolution = preferences.get('resolution')
          if (resolution) {
            const target = (query.get('on_conflict') ?? 'id')
              .split(',')
              .map((k) => quoteColumn(k.trim(), rel.columns))
            conflict =
              resolution === 'ignore-duplicates'
                ? ` on conflict (${target.join(', ')}) do nothing`
                : ` on conflict (${target.join(', ')}) do update set ${keys.map((k) => `${pg.escapeIdentifier(k)} = excluded.${pg.escapeIdentifier(k)}`).join(', ')}`
          }
          statement = `insert into ${target} (${cols}) select ${cols} from json_populate_recordset(null::${target}, ${params.add(JSON.stringify(rows))}::json)${conflict} ${returning}`
        } else {
          const where = whereClause(query, rel.columns, params)
          if (where.length === 0) {
            throw Object.assign(
              new Error(`${kind === 'update' ? 'UPDATE' : 'DELETE'} requires a WHERE clause`),
              { code: '21000' },
            )
          }
          if (kind === 'update') {
            const keys = Object.keys(payload as object)
            for (const key of keys) {
              if (!rel.columns.some((col) => col.name === key)) {
                throw new RestError(
                  400,
                  'PGRST204',
                  `Could not find the '${key}' column of '${table}' in the schema cache`,
                )
              }
            }
            const source = `json_populate_record(null::${target}, ${params.add(JSON.stringify(payload))}::json)`
            statement = `update ${target} set ${keys.map((k) => `${pg.escapeIdentifier(k)} = (select ${pg.escapeIdentifier(k)} from ${source})`).join(', ')} where ${where.join(' and ')} ${returning}`
          } else {
            statement = `delete from ${target} where ${where.join(' and ')} ${returning}`
          }
        }
        const select = representation
          ? selectList(query.get('select') ?? undefined, rel.columns)
          : '1'
        const { rows } = await client.query(
          `with _m as (${statement}) select coalesce(json_agg(_t), '[]')::text as body, count(*)::int as n from (select ${select} from _m) _t`,
          params.values,
        )
        const shapedRows = {
          body: representation ? rows[0]?.body : null,
          rows: rows[0]?.n,
        } as Shaped
        if (accepts(c, SINGLE) && shapedRows.rows !== 1) {
          throw new RestError(
            406,
            'PGRST116',
            'Cannot coerce the result to a single JSON object',
            `The result contains ${shapedRows.rows} rows`,
          )
        }
        return shapedRows
      }),
    )
    const status = kind === 'insert' ? 201 : representation ? 200 : 204
    const headers: Record<string, string> = {
      'content-range':
        kind === 'insert' ? `*/${shaped.rows}` : `0-${Math.max(shaped.rows - 1, 0)}/*`,
    }
    if (!representation) return c.body(null, status as 201, headers)
    return respond(c, status, shaped, accepts(c, SINGLE), headers)
  }
  app.post('/:table', mutation('insert'))
  app.patch('/:table', mutation('update'))
  app.delete('/:table', mutation('delete'))

  app.notFound(() => {
    throw new RestError(404, 'PGRST125', 'Invalid path specified in request URL')
  })
  return app

  function limitOffset(query: URLSearchParams): string {
    const max = ctx.config.api.max_rows
    const limit = Math.min(nonNegativeInt(query.get('limit') ?? undefined, 'limit') ?? max, max)
    const offset = nonNegativeInt(query.get('offset') ?? undefined, 'offset') ?? 0
    return `limit ${limit} offset ${offset}`
  }
}

function accepts(c: Context, type: string) {
  return (c.req.header('accept') ?? '').includes(type)
}

function argValue(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null
  if (type === 'json' || type === 'jsonb') return JSON.stringify(value)
  if (Array.isArray(value)) return value
  if (typeof value === 'object') return JSON.stringify(value)
  return value
}

function notFoundFunction(schema: string, name: string, keys: string[]) {
  const signature = keys.length ? `(${keys.sort().join(', ')})` : ' without parameters'
  return new RestError(
    404,
    'PGRST202',
    `Could not find the function ${schema}.${name}${signature} in the schema cache`,
    `Searched for the function ${schema}.${name}${keys.length ? ` with parameters ${keys.sort().join(', ')}` : ' without parameters'} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.`,
  )
}
