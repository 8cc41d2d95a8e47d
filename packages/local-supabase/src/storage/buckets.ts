import type { Hono } from 'hono'
import { parseSize } from '#src/gateway/config.ts'
import { bucketNotFound, StorageError } from '#src/storage/errors.ts'
import { filePath, removeFile } from '#src/storage/files.ts'

import type { ObjectRow, StorageService } from '#src/storage/service.ts'

/** Bucket routes: list, get, create, partial update, empty, delete. */
export function registerBucketRoutes(app: Hono, svc: StorageService) {
  const { ctx, asRole, caller, json } = svc
  // Storage's bucket shape: file_size_limit is a number (bigint arrives as text from pg).
  const BUCKET_COLUMNS = `id, name, owner, public, type, file_size_limit::float8 as file_size_limit,
    allowed_mime_types, created_at, updated_at`
  app.get('/bucket', async (c) => {
    const who = await caller(c)
    return c.json(
      await asRole(
        who,
        async (db) =>
          (await db.query(`select ${BUCKET_COLUMNS} from storage.buckets order by name`)).rows,
      ),
    )
  })
  app.get('/bucket/:id', async (c) => {
    const who = await caller(c)
    const row = await asRole(
      who,
      async (db) =>
        (
          await db.query(
            `select id, name, owner, public, file_size_limit::float8 as file_size_limit,
               allowed_mime_types, created_at, updated_at from storage.buckets where id = $1`,
            [c.req.param('id')],
          )
        ).rows[0],
    )
    if (!row) throw bucketNotFound()
    return c.json(row)
  })
  app.post('/bucket', async (c) => {
    const who = await caller(c)
    const input = await json(c)
    const id = (input.id ?? input.name) as string
    if (typeof id !== 'string' || !/^[A-Za-z0-9_.-]{1,100}$/.test(id)) {
      throw new StorageError(400, 'InvalidBucketName', 'Invalid Input', `Bucket name invalid`)
    }
    await asRole(who, (db) =>
      db.query(
        `insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types, owner_id)
         values ($1, $2, $3, $4, $5, $6)`,
        [
          id,
          input.name ?? id,
          input.public === true,
          parseLimit(input.file_size_limit),
          input.allowed_mime_types ?? null,
          who.claims.sub ?? null,
        ],
      ),
    )
    return c.json({ name: id })
  })
  app.put('/bucket/:id', async (c) => {
    const who = await caller(c)
    const input = await json(c)
    // Only the fields sent change (Storage's updateBucket); null clears a limit.
    const updated = await asRole(
      who,
      async (db) =>
        (
          await db.query(
            `update storage.buckets set public = case when $2 then $3 else public end,
               file_size_limit = case when $4 then $5 else file_size_limit end,
               allowed_mime_types = case when $6 then $7::text[] else allowed_mime_types end,
               updated_at = now()
             where id = $1 returning id`,
            [
              c.req.param('id'),
              typeof input.public === 'boolean',
              input.public === true,
              'file_size_limit' in input,
              parseLimit(input.file_size_limit),
              'allowed_mime_types' in input,
              input.allowed_mime_types ?? null,
            ],
          )
        ).rowCount,
    )
    if (!updated) throw bucketNotFound()
    return c.json({ message: 'Successfully updated' })
  })
  app.post('/bucket/:id/empty', async (c) => {
    const who = await caller(c)
    const id = c.req.param('id')
    const removed = await asRole(
      who,
      async (db) =>
        (
          await db.query<ObjectRow>(
            'delete from storage.objects where bucket_id = $1 returning name',
            [id],
          )
        ).rows,
    )
    await Promise.all(removed.map((o) => removeFile(filePath(ctx.storageDir, id, o.name))))
    // Storage empties buckets in a background job and answers before it is done; here it is
    // done already, but the answer is the same.
    return c.json({ message: 'Empty bucket has been queued. Completion may take up to an hour.' })
  })
  app.delete('/bucket/:id', async (c) => {
    const who = await caller(c)
    const id = c.req.param('id')
    await asRole(who, async (db) => {
      const { rows } = await db.query(
        'select 1 from storage.objects where bucket_id = $1 limit 1',
        [id],
      )
      if (rows.length)
        throw new StorageError(
          409,
          'InvalidRequest',
          'Bucket not empty',
          'The bucket you tried to delete is not empty',
        )
      const deleted = await db.query('delete from storage.buckets where id = $1', [id])
      if (!deleted.rowCount) throw bucketNotFound()
    })
    return c.json({ message: 'Successfully deleted' })
  })
}

function parseLimit(value: unknown): number | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return value
  return parseSize(String(value))
}
