import type { Context } from 'hono'
import { jwtVerify, SignJWT } from 'jose'
import type pg from 'pg'
import { bearerToken, InvalidJwtError, resolveCaller } from '#src/gateway/caller.ts'
import { parseSize } from '#src/gateway/config.ts'
import type { Caller, GatewayContext } from '#src/gateway/context.ts'
import { storageDatabaseFailure } from '#src/gateway/database-failure.ts'
import { JsonBodyError, parseJsonBody } from '#src/gateway/json-body.ts'
import { JWT_SECRET } from '#src/keys.ts'
import { bucketNotFound, notFound, rlsDenied, StorageError } from '#src/storage/errors.ts'
import { checkKey, filePath, readFileStream } from '#src/storage/files.ts'

export const secret = new TextEncoder().encode(JWT_SECRET)
export type Json = Record<string, unknown>
export type ObjectRow = {
  id: string
  name: string
  bucket_id: string
  metadata: Json | null
  user_metadata: Json | null
  version: string | null
  created_at: Date
  updated_at: Date
  last_accessed_at: Date
}
export type BucketRow = {
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

/**
 * What the Storage routes share: running SQL as the caller or the service role, the caller
 * from the JWT, JSON bodies, bucket lookups, object keys from paths, serving a file, and the
 * signed-URL tokens.
 */
export type StorageService = ReturnType<typeof createStorageService>

export function createStorageService(ctx: GatewayContext) {
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
        // The CLI's Kong passes an empty Authorization when no key is sent, which Storage's
        // JWT library rejects as "Invalid Compact JWS".
        const token = bearerToken(c.req.raw.headers)
        const message =
          error.reason === 'expired'
            ? '"exp" claim timestamp check failed'
            : token?.split('.').length !== 3
              ? 'Invalid Compact JWS'
              : error.storageMessage
        throw new StorageError(403, 'AccessDenied', 'Unauthorized', message)
      }
      throw error
    }
  }

  const json = async (c: Context): Promise<Json> => {
    let parsed: unknown
    try {
      parsed = parseJsonBody((await c.req.text()) || '{}')
    } catch (error) {
      throw new StorageError(
        400,
        'InvalidRequest',
        'Bad Request',
        error instanceof JsonBodyError ? error.message : 'Body is not valid JSON',
      )
    }
    if (parsed && typeof parsed === 'object') return parsed as Json
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
    let decoded: string
    try {
      decoded = decodeURIComponent(raw)
    } catch {
      throw new StorageError(
        400,
        'InvalidKey',
        'Invalid key',
        'Invalid key: malformed percent-encoding',
      )
    }
    return checkKey(decoded)
  }

  // Serving a stored file.
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

  const sign = async (bucketId: string, name: string, expiresIn: number) => {
    const token = await new SignJWT({ url: `${bucketId}/${name}`, scope: 'download' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
      .sign(secret)
    // Storage answers with the path as stored (decoded); supabase-js encodes it once (encodeURI).
    return `/object/sign/${bucketId}/${name}?token=${token}`
  }

  return {
    ctx,
    globalLimit,
    asRole,
    translate,
    caller,
    json,
    bucket,
    keyOf,
    send,
    readable,
    verifyUrlToken,
    sign,
  }
}

export const encodePath = (name: string) => name.split('/').map(encodeURIComponent).join('/')
