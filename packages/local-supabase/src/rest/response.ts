import type { Context } from 'hono'
import { RestError } from '#src/rest/errors.ts'
import type { MediaType, Preferences } from '#src/rest/preferences.ts'

/**
 * Response shaping: the body is aggregated in PostgreSQL (json_agg / CSV as PostgREST's
 * SqlFragment.hs asJsonF / asCsvF), then the status, Content-Range and Content-Type follow
 * src/PostgREST/Response.hs and RangeQuery.hs.
 */

/** SQL returning `body text, n int` for the rows of `inner` in the negotiated media type. */
export function bodySql(inner: string, media: MediaType): string {
  const t = '_pgrst_t'
  if (media.kind === 'csv') {
    return `select (select coalesce(string_agg(k.k, ','), '') from (select json_object_keys(r)::text as k from (select row_to_json(hh) as r from (${inner}) as hh limit 1) s) k)
      || chr(10) || coalesce(string_agg(substring(${t}::text, 2, length(${t}::text) - 2), chr(10)), '') as body, count(*)::int as n from (${inner}) as ${t}`
  }
  const strip = (media.kind === 'object' || media.kind === 'array') && media.stripNulls
  const row = strip ? `json_strip_nulls(row_to_json(${t}))` : t
  if (media.kind === 'object') {
    return `select coalesce((json_agg(${row})->0)::text, 'null') as body, count(*)::int as n from (${inner}) as ${t}`
  }
  return `select coalesce(json_agg(${row}), '[]')::text as body, count(*)::int as n from (${inner}) as ${t}`
}

export function contentType(media: MediaType): string {
  switch (media.kind) {
    case 'csv':
      return 'text/csv; charset=utf-8'
    case 'object':
      return `application/vnd.pgrst.object+json${media.stripNulls ? ';nulls=stripped' : ''}; charset=utf-8`
    case 'array':
      return 'application/vnd.pgrst.array+json;nulls=stripped; charset=utf-8'
    case 'plan':
      return `application/vnd.pgrst.plan+${media.format}; for="${media.forType}"; charset=utf-8`
    default:
      return 'application/json; charset=utf-8'
  }
}

export function singularityError(rows: number) {
  return new RestError(
    406,
    'PGRST116',
    'Cannot coerce the result to a single JSON object',
    `The result contains ${rows} rows`,
  )
}

export function maxAffectedError(rows: number) {
  return new RestError(
    400,
    'PGRST124',
    'Query result exceeds max-affected preference constraint',
    `The query affects ${rows} rows`,
  )
}

/** `Content-Range` as RangeQuery.contentRangeH writes it. */
export function contentRange(lower: number, upper: number, total: number | undefined): string {
  const range = total !== 0 && lower <= upper ? `${lower}-${upper}` : '*'
  return `${range}/${total ?? '*'}`
}

/** Status of a read from its range and total (RangeQuery.rangeStatus). */
export function rangeStatus(lower: number, rows: number, total: number | undefined): number {
  if (total === undefined) return 200
  if (lower > total) return 416
  if (rows < total) return 206
  return 200
}

export function preferenceApplied(prefs: Preferences, used: (keyof Preferences)[]): string {
  const parts: string[] = []
  for (const key of used) {
    const value = prefs[key]
    if (value === undefined) continue
    parts.push(key === 'maxAffected' ? `max-affected=${value}` : `${key}=${value}`)
  }
  return parts.join(', ')
}

export function send(
  c: Context,
  status: number,
  body: string | null,
  headers: Record<string, string>,
): Response {
  const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ''))
  if (body === null || c.req.method === 'HEAD') {
    return c.body(null, status as 200, clean)
  }
  return c.body(body, status as 200, clean)
}
