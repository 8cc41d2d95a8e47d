import { JsonBodyError, parseJsonBody } from '#src/gateway/json-body.ts'
import { RestError } from '#src/rest/errors.ts'
import { ident, Params } from '#src/rest/filters.ts'
import { parseFilterValue } from '#src/rest/grammar.ts'
import { readResponse, runRead } from '#src/rest/read.ts'
import { buildReadPlan } from '#src/rest/read-plan.ts'
import { closest } from '#src/rest/relationships.ts'
import type { RestRequest } from '#src/rest/request.ts'
import {
  contentRange,
  contentType,
  maxAffectedError,
  preferenceApplied,
  send,
  singularityError,
} from '#src/rest/response.ts'
import type { RestFunction, SchemaCache } from '#src/rest/schema-cache.ts'
import { inTransaction, txRollback } from '#src/rest/transaction.ts'

const NOT_ARGS = new Set([
  'select',
  'order',
  'limit',
  'offset',
  'columns',
  'on_conflict',
  'or',
  'and',
])
type BodyKind = 'json' | 'text' | 'xml' | 'bytea'

/**
 * Which overload a call names (src/PostgREST/Plan.hs findProc): functions whose required
 * parameters are exactly the given keys plus any of their defaulted ones; failing that, a
 * function with a single unnamed parameter that takes the whole body. More than one → 300
 * PGRST203; none → 404 PGRST202.
 */
export function findFunction(
  cache: SchemaCache,
  schema: string,
  name: string,
  keys: string[],
  post: boolean,
  bodyKind: BodyKind,
): RestFunction | undefined {
  const named = cache.functions.filter((f) => f.schema === schema && f.name === name)
  const keySet = new Set(keys)
  const matches: RestFunction[] = []
  const fallbacks: RestFunction[] = []
  for (const fn of named) {
    const required = fn.args.filter((a) => !a.hasDefault).map((a) => a.name)
    const optional = fn.args.filter((a) => a.hasDefault).map((a) => a.name)
    let matched: boolean
    if (fn.args.length === 0) matched = keySet.size === 0 && (!post || bodyKind === 'json')
    else
      matched =
        required.every((r) => keySet.has(r)) &&
        [...keySet].every((k) => required.includes(k) || optional.includes(k))
    if (matched) matches.push(fn)
    else if (post && fn.args.length === 1 && fn.args[0]?.name === '') {
      const type = fn.args[0].type
      if (
        (bodyKind === 'json' && (type === 'json' || type === 'jsonb')) ||
        (bodyKind === 'text' && type === 'text') ||
        (bodyKind === 'xml' && type === 'xml') ||
        (bodyKind === 'bytea' && type === 'bytea')
      )
        fallbacks.push(fn)
    }
  }
  // Listed as PostgREST lists them: fewer parameters first, then by signature.
  const chosen = (matches.length ? matches : fallbacks).sort(
    (a, b) =>
      a.args.length - b.args.length ||
      (signature(a) < signature(b) ? -1 : signature(a) > signature(b) ? 1 : 0),
  )
  if (chosen.length > 1) {
    throw new RestError(
      300,
      'PGRST203',
      `Could not choose the best candidate function between: ${chosen.map(signature).join(', ')}`,
      null,
      'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
    )
  }
  return chosen[0]
}

const signature = (f: RestFunction) =>
  `${f.schema}.${f.name}(${f.args.map((a) => `${a.name} => ${a.type}`).join(', ')})`

function noFunction(
  cache: SchemaCache,
  schema: string,
  name: string,
  keys: string[],
  post: boolean,
  bodyKind: BodyKind,
) {
  const sorted = [...keys].sort()
  const single = post && bodyKind !== 'json'
  const prms = sorted.join(', ')
  const message = `Could not find the function ${schema}.${name}${single ? '' : sorted.length ? `(${prms})` : ' without parameters'} in the schema cache`
  const withParams = sorted.length
    ? ` with parameter${sorted.length > 1 ? 's' : ''} ${prms}`
    : ' without parameters'
  const details = `Searched for the function ${schema}.${name}${
    single
      ? ` with a single unnamed ${bodyKind === 'text' ? 'text' : bodyKind} parameter`
      : post
        ? `${withParams} or with a single unnamed json/jsonb parameter`
        : withParams
  }, but no matches were found in the schema cache.`
  const overloads = cache.functions.filter((f) => f.schema === schema && f.name === name)
  let hint: string | null = null
  if (!single) {
    if (overloads.length === 0) {
      const best = closest(
        name,
        [...new Set(cache.functions.filter((f) => f.schema === schema).map((f) => f.name))],
        0.75,
      )
      if (best) hint = `Perhaps you meant to call the function ${schema}.${best}`
    } else {
      const lists = overloads.map(
        (f) =>
          `(${f.args
            .map((a) => a.name)
            .sort()
            .join(', ')})`,
      )
      const best = closest(`(${prms})`, lists)
      if (best) hint = `Perhaps you meant to call the function ${schema}.${name}${best}`
    }
  }
  return new RestError(404, 'PGRST202', message, details, hint)
}

function bodyKindOf(contentTypeHeader: string | undefined): BodyKind {
  const type = (contentTypeHeader ?? 'application/json').split(';')[0]?.trim().toLowerCase()
  if (type === 'text/plain') return 'text'
  if (type === 'text/xml') return 'xml'
  if (type === 'application/octet-stream') return 'bytea'
  return 'json'
}

/** POST / GET / HEAD /rpc/fn */
export async function callFunction(req: RestRequest, name: string) {
  const c = req.c
  const post = c.req.method === 'POST'
  const bodyKind = post ? bodyKindOf(c.req.header('content-type')) : 'json'
  let args: Record<string, unknown> = {}
  let raw: string | undefined
  const filterKeys = new Set<string>()
  if (post) {
    if (bodyKind === 'json') {
      const text = await c.req.text()
      raw = text.trim() ? text : '{}'
      let parsed: unknown
      try {
        parsed = parseJsonBody(raw)
      } catch (error) {
        throw new RestError(
          400,
          'PGRST102',
          error instanceof JsonBodyError ? error.message : 'Empty or invalid json',
        )
      }
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        args = parsed as Record<string, unknown>
    } else raw = await c.req.text()
  } else {
    // A key that names a parameter of the function is an argument, never a filter; any other
    // key whose value is an operator expression is a filter on the result.
    const paramNames = new Set(
      req.cache.functions
        .filter((f) => f.schema === req.schema && f.name === name)
        .flatMap((f) => f.args.map((a) => a.name)),
    )
    for (const [key, value] of req.query) {
      if (NOT_ARGS.has(key) || key.includes('.')) continue
      if (!paramNames.has(key) && isFilter(key, value)) {
        filterKeys.add(key)
        continue
      }
      args[key] = value
    }
  }
  const keys = Object.keys(args)
  // The cache is reloaded only on a miss (a function created since it was loaded).
  let fn = findFunction(req.cache, req.schema, name, keys, post, bodyKind)
  if (!fn) {
    req.cache = await req.reload()
    fn = findFunction(req.cache, req.schema, name, keys, post, bodyKind)
  }
  if (!fn) throw noFunction(req.cache, req.schema, name, keys, post, bodyKind)
  const prefs = req.prefs
  if (prefs.handling === 'strict' && prefs.maxAffected !== undefined && !fn.returnsSet) {
    throw new RestError(
      400,
      'PGRST128',
      'Function must return SETOF or TABLE when max-affected preference is used with handling=strict',
    )
  }
  const params = new Params()
  const unnamed = fn.args.length === 1 && fn.args[0]?.name === ''
  let call: string
  if (unnamed && !('' in args)) {
    // The single unnamed parameter takes the whole body.
    call = `${ident(fn.schema)}.${ident(fn.name)}(${params.add(raw ?? '')}::${fn.args[0]?.type})`
  } else if (unnamed) {
    const value = args['']
    const text =
      typeof value === 'string' && fn.args[0]?.type !== 'json' && fn.args[0]?.type !== 'jsonb'
        ? value
        : JSON.stringify(value)
    call = `${ident(fn.schema)}.${ident(fn.name)}(${params.add(text)}::${fn.args[0]?.type})`
  } else {
    // Arguments are typed by PostgreSQL from the JSON, as PostgREST's json_to_record call does
    // (so arrays, composite rows and domains arrive as their own types).
    const given = fn.args.filter((a) => a.name in args)
    const body = given.length ? params.add(JSON.stringify(args)) : ''
    const record = `json_to_record(${body}::json) as _pgrst_body(${given.map((a) => `${ident(a.name)} ${a.type}`).join(', ')})`
    call = `${ident(fn.schema)}.${ident(fn.name)}(${given
      .map((a) => `${ident(a.name)} := (select _pgrst_body.${ident(a.name)} from ${record})`)
      .join(', ')})`
  }
  const readOnly = !post || fn.volatility !== 'v'
  const tx = txRollback(req.cache.settings.txEnd, prefs.tx)
  const options = { readOnly, rollback: tx.rollback, schema: req.schema, timezone: prefs.timezone }
  const headers: Record<string, string> = {
    'preference-applied': preferenceApplied({ ...prefs, tx: tx.applied ? prefs.tx : undefined }, [
      'count',
      'tx',
      'handling',
      'maxAffected',
    ]),
  }
  if (fn.returnKind === 'void') {
    await inTransaction(req.ctx, c, req.caller, options, (tx) =>
      tx.query(`select ${call}`, params.values, { last: true }),
    )
    return send(c, 204, null, { ...headers, 'content-range': contentRange(0, -1, undefined) })
  }
  if (fn.returnKind === 'scalar') {
    const result = await inTransaction(req.ctx, c, req.caller, options, async (tx) => {
      if (!fn.returnsSet) {
        const { rows } = await tx.query(`select to_json(${call})::text as body`, params.values, {
          last: true,
        })
        return { body: rows[0]?.body ?? 'null', rows: 1 }
      }
      const { rows } = await tx.query(
        `select coalesce(json_agg(_r.v), '[]')::text as body, count(*)::int as n from ${call} as _r(v)`,
        params.values,
        { last: true },
      )
      return { body: rows[0]?.body as string, rows: rows[0]?.n as number }
    })
    if (req.media.kind === 'object' && fn.returnsSet && result.rows !== 1)
      throw singularityError(result.rows)
    let body = result.body
    if (req.media.kind === 'object' && fn.returnsSet) body = JSON.stringify(JSON.parse(body)[0])
    return send(c, 200, body, {
      ...headers,
      'content-range': contentRange(0, result.rows - 1, prefs.count ? result.rows : undefined),
      'content-type': contentType(req.media.kind === 'csv' ? { kind: 'json' } : req.media),
    })
  }
  // Composite results: a read plan over the function call, so select, filters, order, range
  // and embedding (on functions returning table rows) work as on tables.
  const ignore = new Set([...Object.keys(args)])
  const plan = buildReadPlan(
    req.cache,
    {
      relation: fn.returnRelation ?? { schema: fn.schema, name: fn.name },
      columns: fn.columns,
      name: fn.name,
    },
    req.query,
    { ignore: post ? new Set() : ignore },
  )
  void filterKeys
  // A strict max-affected check may still roll the call back after its statement.
  const maxAffected = prefs.handling === 'strict' ? prefs.maxAffected : undefined
  const result = await inTransaction(req.ctx, c, req.caller, options, async (tx) => {
    const read = await runRead(req, tx, plan, call, fn.name, params, {
      last: maxAffected === undefined,
    })
    if (maxAffected !== undefined && read.rows > maxAffected) throw maxAffectedError(read.rows)
    return read
  })
  if (!fn.returnsSet && req.media.kind !== 'plan') {
    // A function returning one row answers with an object (or null when it returned none).
    const list = JSON.parse(result.body) as Record<string, unknown>[]
    const first = list[0]
    const isNull = !first || Object.values(first).every((v) => v === null)
    if (req.media.kind === 'object' && isNull) throw singularityError(0)
    const body =
      req.media.kind === 'object' ? JSON.stringify(first) : isNull ? 'null' : JSON.stringify(first)
    return send(c, 200, body, {
      ...headers,
      'content-range': contentRange(0, isNull ? -1 : 0, result.total),
      'content-type': contentType(req.media),
    })
  }
  const response = readResponse(req, result, plan)
  for (const [k, v] of Object.entries(headers)) if (v) response.headers.set(k, v)
  return response
}

function isFilter(key: string, value: string) {
  try {
    parseFilterValue(key, value)
    return true
  } catch {
    return false
  }
}
