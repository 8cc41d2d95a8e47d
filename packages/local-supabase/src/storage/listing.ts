import type { Hono } from 'hono'
import { StorageError } from '#src/storage/errors.ts'

import type { Json, StorageService } from '#src/storage/service.ts'

/** Listing: list (storage.search) and list-v2 (cursor pages, optional folders). */
export function registerListingRoutes(app: Hono, svc: StorageService) {
  const { asRole, caller, json, bucket } = svc
  app.post('/object/list/:bucket', async (c) => {
    const who = await caller(c)
    const bucketId = c.req.param('bucket')
    await bucket(bucketId)
    const input = await json(c)
    const prefix = typeof input.prefix === 'string' ? input.prefix.replace(/^\/+/, '') : ''
    const normalized = prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix
    const levels = normalized.split('/').length
    const sortBy = (input.sortBy ?? {}) as Json
    const rows = await asRole(
      who,
      async (db) =>
        (
          await db.query('select * from storage.search($1, $2, $3, $4, $5, $6, $7, $8)', [
            normalized,
            bucketId,
            Math.min(Number(input.limit ?? 100) || 100, 1000),
            levels,
            Number(input.offset ?? 0) || 0,
            typeof input.search === 'string' ? input.search : '',
            typeof sortBy.column === 'string' ? sortBy.column : 'name',
            sortBy.order === 'desc' ? 'desc' : 'asc',
          ])
        ).rows,
    )
    return c.json(rows)
  })

  // list-v2: a cursor-paginated listing, flat or folded into folders at "/", sorted by name,
  // created_at or updated_at. The cursor is opaque: the sort value and key of the last entry.
  app.post('/object/list-v2/:bucket', async (c) => {
    const who = await caller(c)
    const bucketId = c.req.param('bucket')
    await bucket(bucketId)
    const input = await json(c)
    const prefix = typeof input.prefix === 'string' ? input.prefix : ''
    const limit = Math.max(1, Math.min(Number(input.limit ?? 1000) || 1000, 1000))
    const withDelimiter = input.with_delimiter === true
    const sortBy = (input.sortBy ?? {}) as Json
    const column = ['name', 'created_at', 'updated_at'].includes(String(sortBy.column))
      ? String(sortBy.column)
      : 'name'
    const desc = sortBy.order === 'desc'
    let after: [string, string] | null = null
    if (typeof input.cursor === 'string' && input.cursor) {
      try {
        const decoded = JSON.parse(Buffer.from(input.cursor, 'base64url').toString('utf8'))
        if (Array.isArray(decoded) && decoded.length === 2)
          after = [String(decoded[0]), String(decoded[1])]
      } catch {}
      if (!after) throw new StorageError(400, 'InvalidRequest', 'Bad Request', 'Invalid cursor')
    }
    const sortExpr =
      column === 'name'
        ? 'key'
        : `coalesce(to_char(${column} at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.US'), '')`
    const rows = await asRole(
      who,
      async (db) =>
        (
          await db.query<{
            key: string
            sort_value: string
            is_folder: boolean
            id: string | null
            updated_at: Date | null
            created_at: Date | null
            last_accessed_at: Date | null
            metadata: Json | null
          }>(
            `with matching as (
               select o.*, substr(o.name, length($2) + 1) as rest from storage.objects o
               where o.bucket_id = $1 and left(o.name, length($2)) = $2
             ), folded as (
               select case when $5 and strpos(rest, '/') > 0 then $2 || split_part(rest, '/', 1) else name end as key,
                      $5 and strpos(rest, '/') > 0 as is_folder,
                      id, updated_at, created_at, last_accessed_at, metadata from matching
             ), entries as (
               select key, bool_or(is_folder) as is_folder,
                 case when bool_or(is_folder) then null else (array_agg(id))[1] end as id,
                 case when bool_or(is_folder) then null else max(updated_at) end as updated_at,
                 case when bool_or(is_folder) then null else max(created_at) end as created_at,
                 case when bool_or(is_folder) then null else max(last_accessed_at) end as last_accessed_at,
                 case when bool_or(is_folder) then null else (array_agg(metadata))[1] end as metadata
               from folded group by key
             )
             select *, ${sortExpr} as sort_value from entries
             where $3::text is null or (${sortExpr}, key) ${desc ? '<' : '>'} ($3, $4)
             order by ${sortExpr} ${desc ? 'desc' : 'asc'}, key ${desc ? 'desc' : 'asc'} limit $6`,
            [bucketId, prefix, after?.[0] ?? null, after?.[1] ?? null, withDelimiter, limit + 1],
          )
        ).rows,
    )
    const page = rows.slice(0, limit)
    const hasNext = rows.length > limit
    const last = page.at(-1)
    return c.json({
      hasNext,
      ...(hasNext && last
        ? {
            nextCursor: Buffer.from(JSON.stringify([last.sort_value, last.key])).toString(
              'base64url',
            ),
          }
        : {}),
      folders: page.filter((r) => r.is_folder).map((r) => ({ key: r.key, name: `${r.key}/` })),
      objects: page
        .filter((r) => !r.is_folder)
        .map((r) => ({
          id: r.id,
          key: r.key,
          name: r.key,
          updated_at: r.updated_at,
          created_at: r.created_at,
          last_accessed_at: r.last_accessed_at,
          metadata: r.metadata,
        })),
    })
  })
}
