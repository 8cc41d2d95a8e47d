import type { Context, Hono } from 'hono'
import { notFound, StorageError } from '#src/storage/errors.ts'
import { checkKey, duplicateFile, filePath, moveFile, removeFile } from '#src/storage/files.ts'
import type { ObjectRow, StorageService } from '#src/storage/service.ts'
import type { Store } from '#src/storage/upload.ts'

/** Object reads (public, info) and remove, move, copy. */
export function registerObjectRoutes(app: Hono, svc: StorageService) {
  const { ctx, asRole, caller, json, bucket, keyOf, send, readable } = svc
  app.get('/object/public/:bucket/*', async (c) => {
    const bucketId = c.req.param('bucket')
    const target = await bucket(bucketId)
    if (!target.public) throw notFound()
    const name = keyOf(c, `/object/public/${bucketId}/`)
    const row = await asRole(
      'service_role',
      async (db) =>
        (
          await db.query<ObjectRow>(
            'select * from storage.objects where bucket_id = $1 and name = $2',
            [bucketId, name],
          )
        ).rows[0],
    )
    if (!row) throw notFound()
    return send(c, row)
  })

  app.get('/object/info/authenticated/:bucket/*', async (c) =>
    info(c, `/object/info/authenticated/${c.req.param('bucket')}/`),
  )
  app.get('/object/info/:bucket/*', async (c) => info(c, `/object/info/${c.req.param('bucket')}/`))
  const info = async (c: Context, prefix: string) => {
    const who = await caller(c)
    const bucketId = c.req.param('bucket') as string
    const row = await readable(who, bucketId, keyOf(c, prefix))
    const metadata = row.metadata ?? {}
    return c.json({
      id: row.id,
      name: row.name,
      version: row.version,
      bucket_id: row.bucket_id,
      size: metadata.size ?? null,
      content_type: metadata.mimetype ?? null,
      cache_control: metadata.cacheControl ?? null,
      etag: metadata.eTag ?? null,
      metadata: row.user_metadata ?? {},
      last_modified: row.updated_at,
      created_at: row.created_at,
    })
  }

  app.delete('/object/:bucket', async (c) => {
    const who = await caller(c)
    const bucketId = c.req.param('bucket')
    const input = await json(c)
    const prefixes = Array.isArray(input.prefixes)
      ? (input.prefixes as unknown[]).filter((p): p is string => typeof p === 'string')
      : []
    if (prefixes.length === 0 || prefixes.length > 1000) {
      throw new StorageError(
        400,
        'InvalidRequest',
        'Bad Request',
        'prefixes must contain 1 to 1000 object names',
      )
    }
    const removed = await asRole(
      who,
      async (db) =>
        (
          await db.query<ObjectRow>(
            'delete from storage.objects where bucket_id = $1 and name = any ($2) returning *',
            [bucketId, prefixes],
          )
        ).rows,
    )
    await Promise.all(removed.map((o) => removeFile(filePath(ctx.storageDir, bucketId, o.name))))
    return c.json(removed)
  })

  app.post('/object/move', async (c) => {
    const who = await caller(c)
    const input = await json(c)
    const bucketId = String(input.bucketId ?? '')
    const from = checkKey(String(input.sourceKey ?? ''))
    const to = checkKey(String(input.destinationKey ?? ''))
    const destinationBucket = String(input.destinationBucket ?? bucketId)
    const moved = await asRole(
      who,
      async (db) =>
        (
          await db.query(
            'update storage.objects set bucket_id = $4, name = $3, updated_at = now() where bucket_id = $1 and name = $2 returning id',
            [bucketId, from, to, destinationBucket],
          )
        ).rowCount,
    )
    if (!moved) throw notFound()
    await moveFile(
      filePath(ctx.storageDir, bucketId, from),
      filePath(ctx.storageDir, destinationBucket, to),
    )
    return c.json({ message: 'Successfully moved' })
  })

  app.post('/object/copy', async (c) => {
    const who = await caller(c)
    const input = await json(c)
    const bucketId = String(input.bucketId ?? '')
    const from = checkKey(String(input.sourceKey ?? ''))
    const to = checkKey(String(input.destinationKey ?? ''))
    const destinationBucket = String(input.destinationBucket ?? bucketId)
    const source = await readable(who, bucketId, from)
    const insert = `insert into storage.objects (bucket_id, name, owner, owner_id, metadata, version) values ($1, $2, $3::uuid, $3, $4, $5) returning id`
    const owner = (who.claims.sub as string | undefined) ?? null
    await asRole(
      who,
      (db) => db.query(insert, [destinationBucket, to, owner, source.metadata, 'probe']),
      true,
    )
    await duplicateFile(
      filePath(ctx.storageDir, bucketId, from),
      filePath(ctx.storageDir, destinationBucket, to),
    )
    await asRole('service_role', (db) =>
      db.query(insert, [destinationBucket, to, owner, source.metadata, crypto.randomUUID()]),
    )
    return c.json({ Key: `${destinationBucket}/${to}` })
  })
}

/** Generic object routes, registered last so /object/sign, /object/list, ... match first. */
export function registerGenericObjectRoutes(app: Hono, svc: StorageService, store: Store) {
  const { asRole, caller, keyOf, send, readable } = svc
  // Generic object routes last, so /object/sign, /object/list, ... match first.
  app.post('/object/:bucket/*', async (c) => {
    const who = await caller(c)
    const bucketId = c.req.param('bucket')
    const name = keyOf(c, `/object/${bucketId}/`)
    return store(
      c,
      bucketId,
      name,
      (who.claims.sub as string | undefined) ?? null,
      c.req.header('x-upsert') === 'true',
      who,
    )
  })
  app.put('/object/:bucket/*', async (c) => {
    const who = await caller(c)
    const bucketId = c.req.param('bucket')
    const name = keyOf(c, `/object/${bucketId}/`)
    const exists = await asRole(
      who,
      async (db) =>
        (
          await db.query('select 1 from storage.objects where bucket_id = $1 and name = $2', [
            bucketId,
            name,
          ])
        ).rows.length > 0,
    )
    if (!exists) throw notFound()
    return store(c, bucketId, name, (who.claims.sub as string | undefined) ?? null, true, who)
  })

  app.on(['GET', 'HEAD'], '/object/authenticated/:bucket/*', async (c) => {
    const who = await caller(c)
    const bucketId = c.req.param('bucket')
    return send(c, await readable(who, bucketId, keyOf(c, `/object/authenticated/${bucketId}/`)))
  })
  app.on(['GET', 'HEAD'], '/object/:bucket/*', async (c) => {
    const who = await caller(c)
    const bucketId = c.req.param('bucket')
    return send(c, await readable(who, bucketId, keyOf(c, `/object/${bucketId}/`)))
  })
}
