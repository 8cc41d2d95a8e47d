import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import type { Context } from 'hono'
import { Hono } from 'hono'
import { jwtVerify, SignJWT } from 'jose'
import type pg from 'pg'
import { InvalidJwtError, resolveCaller } from '#src/gateway/caller.ts'
import { parseSize } from '#src/gateway/config.ts'
import type { Caller, GatewayContext } from '#src/gateway/context.ts'
import { storageDatabaseFailure } from '#src/gateway/database-failure.ts'
import { JWT_SECRET } from '#src/keys.ts'
import {
  bucketNotFound,
  notFound,
  rlsDenied,
  StorageError,
  storageErrorResponse,
} from '#src/storage/errors.ts'
import {
  checkKey,
  commitFile,
  drainBody,
  duplicateFile,
  filePath,
  moveFile,
  readFileStream,
  removeFile,
  writeStream,
} from '#src/storage/files.ts'

const secret = new TextEncoder().encode(JWT_SECRET)
type Json = Record<string, unknown>
type ObjectRow = {
  id: string
  name: string
  bucket_id: string
  metadata: Json | null
  version: string | null
  created_at: Date
  updated_at: Date
  last_accessed_at: Date
}
type BucketRow = {
  id: string
  name: string
  public: boolean
  file_size_limit: number | null
  allowed_mime_types: string[] | null
}

/**
 * Supabase Storage on local disk. Every access decision is the row operation on storage.objects
 * run as the caller (so the project's storage policies decide); the real row is then written
 * as the service role, like storage:src/storage/uploader.ts.
 */
export function createStorageRoutes(ctx: GatewayContext): Hono {
  const app = new Hono()
  const globalLimit = parseSize(ctx.config.storage.file_size_limit)

  const asRole = async <T>(
    caller: Caller | 'service_role',
    fn: (db: pg.PoolClient) => Promise<T>,
    rollback = false,
  ) => {
    const db = await ctx.pool('authenticator').connect()
    try {
      await db.query('begin')
      const role = caller === 'service_role' ? 'service_role' : caller.role
      const claims =
        caller === 'service_role' ? { role: 'service_role' } : { ...caller.claims, role }
      await db.query(
        `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
           set_config('request.jwt.claim.role', $1, true), set_config('request.jwt.claim.sub', $3, true),
           set_config('storage.allow_delete_query', 'true', true)`,
        [role, JSON.stringify(claims), (claims as Json).sub ?? ''],
      )
      const result = await fn(db)
      await db.query(rollback ? 'rollback' : 'commit')
      return result
    } catch (error) {
      await db.query('rollback').catch(() => undefined)
      throw translate(error)
    } finally {
      db.release()
    }
  }

  const translate = (error: unknown) => {
    if (error instanceof StorageError) return error
    const e = error as { code?: string; message?: string }
    if (e.code === '42501') return rlsDenied()
    if (e.code === '23505')
      return new StorageError(409, 'Duplicate', 'Duplicate', 'The resource already exists')
    if (e.code === '23503') return bucketNotFound()
    if (e.code && /^(22|23)/.test(e.code))
      return new StorageError(400, 'InvalidRequest', 'Bad Request', e.message ?? '')
    const down = storageDatabaseFailure(error)
    if (down) return new StorageError(down.statusCode, down.code, down.error, down.message)
    console.error('[storage]', error)
    return new StorageError(500, 'InternalError', 'Internal', 'Internal Server Error')
  }

  const caller = async (c: Context): Promise<Caller> => {
    try {
      return await resolveCaller(ctx, c.req.raw.headers)
    } catch (error) {
      if (error instanceof InvalidJwtError) {
        throw new StorageError(403, 'InvalidJWT', 'Unauthorized', error.storageMessage)
      }
      throw error
    }
  }

  const json = async (c: Context): Promise<Json> => {
    try {
      const parsed = JSON.parse((await c.req.text()) || '{}')
      if (parsed && typeof parsed === 'object') return parsed as Json
    } catch {}
    throw new StorageError(400, 'InvalidRequest', 'Bad Request', 'Body is not valid JSON')
  }

  const bucket = async (id: string) => {
    const found = await asRole(
      'service_role',
      async (db) =>
        (await db.query<BucketRow>('select * from storage.buckets where id = $1', [id])).rows[0],
    )
    if (!found) throw bucketNotFound()
    return found
  }

  const keyOf = (c: Context, prefix: string) => {
    const raw = c.req.path.slice(c.req.path.indexOf(prefix) + prefix.length)
    return checkKey(decodeURIComponent(raw))
  }

  app.onError((error, c) =>
    storageErrorResponse(c, error instanceof StorageError ? error : translate(error)),
  )

  // ---- Buckets ---------------------------------------------------------------------------
  app.get('/bucket', async (c) => {
    const who = await caller(c)
    return c.json(
      await asRole(
        who,
        async (db) => (await db.query('select * from storage.buckets order by name')).rows,
      ),
    )
  })
  app.get('/bucket/:id', async (c) => {
    const who = await caller(c)
    const row = await asRole(
      who,
      async (db) =>
        (await db.query('select * from storage.buckets where id = $1', [c.req.param('id')]))
          .rows[0],
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
    const updated = await asRole(
      who,
      async (db) =>
        (
          await db.query(
            `update storage.buckets set public = coalesce($2, public), file_size_limit = $3, allowed_mime_types = $4, updated_at = now()
         where id = $1 returning id`,
            [
              c.req.param('id'),
              typeof input.public === 'boolean' ? input.public : null,
              parseLimit(input.file_size_limit),
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
    return c.json({ message: 'Successfully emptied' })
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

  // ---- Upload ----------------------------------------------------------------------------
  const store = async (
    c: Context,
    bucketId: string,
    name: string,
    owner: string | null,
    upsert: boolean,
    probe: Caller | null,
  ) => {
    const upload = await uploadBody(c)
    try {
      return await storeObject(c, upload, bucketId, name, owner, upsert, probe)
    } catch (error) {
      // Answer only after the client has finished sending, or it sees a reset instead.
      await drainBody(upload.body)
      throw error
    }
  }

  const storeObject = async (
    c: Context,
    upload: Awaited<ReturnType<typeof uploadBody>>,
    bucketId: string,
    name: string,
    owner: string | null,
    upsert: boolean,
    probe: Caller | null,
  ) => {
    const target = await bucket(bucketId)
    const mimetype = upload.mimetype
    if (
      target.allowed_mime_types?.length &&
      !target.allowed_mime_types.some((allowed) => mimeMatches(allowed, mimetype))
    ) {
      throw new StorageError(
        415,
        'InvalidMimeType',
        'invalid_mime_type',
        `mime type ${mimetype} is not supported`,
      )
    }
    const limit = Math.min(globalLimit, target.file_size_limit ?? globalLimit)
    const declared = Number(c.req.header('content-length') ?? 0)
    if (declared > limit) {
      throw new StorageError(
        413,
        'EntityTooLarge',
        'Payload too large',
        'The object exceeded the maximum allowed size',
      )
    }
    const row = { bucket_id: bucketId, name, owner, metadata: {} }
    const upsertSql = `insert into storage.objects (bucket_id, name, owner, owner_id, metadata, version)
      values ($1, $2, $3::uuid, $3, $4, $5)
      ${upsert ? 'on conflict (bucket_id, name) do update set metadata = excluded.metadata, version = excluded.version, owner = excluded.owner, owner_id = excluded.owner_id, updated_at = now()' : ''}
      returning id`
    // The caller's right to write this row, checked with a rolled-back probe.
    if (probe)
      await asRole(
        probe,
        (db) => db.query(upsertSql, [row.bucket_id, row.name, owner, row.metadata, 'probe']),
        true,
      )
    const { temp, size } = await writeStream(ctx.storageDir, upload.body, limit)
    const version = crypto.randomUUID()
    const eTag = `"${createHash('md5').update(version).digest('hex')}"`
    const metadata = {
      eTag,
      size,
      mimetype,
      cacheControl: upload.cacheControl,
      lastModified: new Date().toISOString(),
      contentLength: size,
      httpStatusCode: 200,
    }
    try {
      const id = await asRole(
        'service_role',
        async (db) =>
          (await db.query(upsertSql, [bucketId, name, owner, metadata, version])).rows[0]?.id,
      )
      await commitFile(temp, filePath(ctx.storageDir, bucketId, name))
      return c.json({ Id: id, Key: `${bucketId}/${name}` })
    } catch (error) {
      await removeFile(temp)
      throw error
    }
  }

  app.post('/object/upload/sign/:bucket/*', async (c) => {
    const who = await caller(c)
    const bucketId = c.req.param('bucket')
    const name = keyOf(c, `/object/upload/sign/${bucketId}/`)
    const upsert = c.req.header('x-upsert') === 'true'
    await bucket(bucketId)
    await asRole(
      who,
      (db) =>
        db.query(
          `insert into storage.objects (bucket_id, name, owner_id, version) values ($1, $2, $3, 'probe')`,
          [bucketId, name, who.claims.sub ?? null],
        ),
      true,
    )
    const token = await new SignJWT({
      owner: who.claims.sub,
      url: `${bucketId}/${name}`,
      upsert,
      scope: 'upload',
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(secret)
    return c.json({
      url: `/object/upload/sign/${bucketId}/${encodePath(name)}?token=${token}`,
      token,
    })
  })
  app.put('/object/upload/sign/:bucket/*', async (c) => {
    const bucketId = c.req.param('bucket')
    const name = keyOf(c, `/object/upload/sign/${bucketId}/`)
    const payload = await verifyUrlToken(c.req.query('token'), `${bucketId}/${name}`, 'upload')
    return store(
      c,
      bucketId,
      name,
      (payload.owner as string | undefined) ?? null,
      payload.upsert === true,
      null,
    )
  })

  // ---- Download --------------------------------------------------------------------------
  const send = async (c: Context, row: ObjectRow) => {
    const file = await readFileStream(filePath(ctx.storageDir, row.bucket_id, row.name))
    if (!file) throw notFound()
    const metadata = row.metadata ?? {}
    const headers: Record<string, string> = {
      'content-type': String(metadata.mimetype ?? 'application/octet-stream'),
      'content-length': String(file.size),
      'cache-control': String(metadata.cacheControl ?? 'no-cache'),
      etag: String(metadata.eTag ?? ''),
      'last-modified': new Date(row.updated_at).toUTCString(),
    }
    if (c.req.query('download') !== undefined) {
      headers['content-disposition'] =
        `attachment; filename="${encodeURIComponent(c.req.query('download') || row.name.split('/').pop() || 'file')}"`
    }
    if (c.req.method === 'HEAD') return c.body(null, 200, headers)
    return c.body(file.stream, 200, headers)
  }

  const readable = async (who: Caller, bucketId: string, name: string) => {
    const row = await asRole(
      who,
      async (db) =>
        (
          await db.query<ObjectRow>(
            'select * from storage.objects where bucket_id = $1 and name = $2',
            [bucketId, name],
          )
        ).rows[0],
    )
    if (!row) throw notFound()
    return row
  }

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

  const verifyUrlToken = async (
    token: string | undefined,
    url: string,
    scope: 'download' | 'upload',
  ) => {
    if (!token)
      throw new StorageError(
        400,
        'InvalidSignature',
        'Invalid Signature',
        "querystring must have required property 'token'",
      )
    let payload: Json
    try {
      payload = (await jwtVerify(token, secret, { algorithms: ['HS256'] })).payload as Json
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_JWT_EXPIRED') {
        throw new StorageError(400, 'InvalidJWT', 'Unauthorized', 'The provided token has expired.')
      }
      throw new StorageError(
        400,
        'InvalidSignature',
        'Invalid Signature',
        'The signature is invalid',
      )
    }
    if (payload.url !== url || (payload.scope && payload.scope !== scope)) {
      throw new StorageError(
        400,
        'InvalidSignature',
        'Invalid Signature',
        'The url do not match the signature',
      )
    }
    return payload
  }

  app.get('/object/sign/:bucket/*', async (c) => {
    const bucketId = c.req.param('bucket')
    const name = keyOf(c, `/object/sign/${bucketId}/`)
    await verifyUrlToken(c.req.query('token'), `${bucketId}/${name}`, 'download')
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

  const sign = async (bucketId: string, name: string, expiresIn: number) => {
    const token = await new SignJWT({ url: `${bucketId}/${name}`, scope: 'download' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
      .sign(secret)
    return `/object/sign/${bucketId}/${encodePath(name)}?token=${token}`
  }

  app.post('/object/sign/:bucket/*', async (c) => {
    const who = await caller(c)
    const bucketId = c.req.param('bucket')
    const name = keyOf(c, `/object/sign/${bucketId}/`)
    const input = await json(c)
    const expiresIn = Number(input.expiresIn)
    if (!Number.isInteger(expiresIn) || expiresIn < 1)
      throw new StorageError(
        400,
        'InvalidRequest',
        'Bad Request',
        'expiresIn must be a positive integer',
      )
    await readable(who, bucketId, name)
    return c.json({ signedURL: await sign(bucketId, name, expiresIn) })
  })

  app.post('/object/sign/:bucket', async (c) => {
    const who = await caller(c)
    const bucketId = c.req.param('bucket')
    const input = await json(c)
    const paths = Array.isArray(input.paths) ? (input.paths as string[]) : []
    const expiresIn = Number(input.expiresIn)
    const visible = await asRole(
      who,
      async (db) =>
        new Set(
          (
            await db.query<{ name: string }>(
              'select name from storage.objects where bucket_id = $1 and name = any ($2)',
              [bucketId, paths],
            )
          ).rows.map((r) => r.name),
        ),
    )
    return c.json(
      await Promise.all(
        paths.map(async (p) =>
          visible.has(p)
            ? { error: null, path: p, signedURL: await sign(bucketId, p, expiresIn) }
            : {
                error: 'Either the object does not exist or you do not have access to it',
                path: p,
                signedURL: null,
              },
        ),
      ),
    )
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
      metadata,
      last_modified: row.updated_at,
      created_at: row.created_at,
    })
  }

  // ---- List, remove, move, copy ----------------------------------------------------------
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

  app.notFound((c) =>
    storageErrorResponse(c, new StorageError(404, 'NotFound', 'Not Found', 'Route not found')),
  )
  return app
}

/**
 * The bytes of an upload: the raw body (streamed), or the file part of a multipart form (what
 * storage-js sends for Blob/File bodies; forms are parsed in memory).
 */
async function uploadBody(c: Context) {
  const type = c.req.header('content-type') ?? 'application/octet-stream'
  if (type.startsWith('multipart/form-data')) {
    const form = await c.req.formData()
    const file = [...form.values()].find((v): v is File => typeof v !== 'string')
    if (!file) throw new StorageError(400, 'InvalidRequest', 'Bad Request', 'The form has no file')
    const cacheControl = form.get('cacheControl')
    return {
      body: file.stream(),
      mimetype: file.type || 'application/octet-stream',
      cacheControl: typeof cacheControl === 'string' ? `max-age=${cacheControl}` : 'no-cache',
    }
  }
  // The Node request itself when there is one: it honours backpressure byte by byte, where a
  // web stream made by Readable.toWeb would queue the whole body in memory.
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  return {
    body: incoming instanceof Readable ? incoming : c.req.raw.body,
    mimetype: type.split(';')[0]?.trim() || 'application/octet-stream',
    cacheControl: c.req.header('cache-control') ?? 'no-cache',
  }
}

function parseLimit(value: unknown): number | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return value
  return parseSize(String(value))
}

function mimeMatches(allowed: string, actual: string) {
  return allowed === actual || (allowed.endsWith('/*') && actual.startsWith(allowed.slice(0, -1)))
}

const encodePath = (name: string) => name.split('/').map(encodeURIComponent).join('/')
