import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import type { Context } from 'hono'
import type { Caller } from '#src/gateway/context.ts'
import { parseJsonBody } from '#src/gateway/json-body.ts'
import { StorageError } from '#src/storage/errors.ts'
import {
  commitFile,
  drainIterator,
  filePath,
  removeFile,
  tooLargeError,
  writeChunks,
} from '#src/storage/files.ts'
import { multipartBoundary, readMultipartUpload } from '#src/storage/multipart.ts'
import type { Json, StorageService } from '#src/storage/service.ts'

export type Store = ReturnType<typeof createUploader>['store']

/**
 * Uploads: the body (raw or a multipart form, streamed), the size and MIME limits, the RLS probe
 * as the caller, then the file on disk and the row written as the service role.
 */
export function createUploader(svc: StorageService) {
  const { ctx, globalLimit, asRole, bucket } = svc
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
      await upload.drain()
      throw error
    }
  }

  const storeObject = async (
    c: Context,
    upload: Upload,
    bucketId: string,
    name: string,
    owner: string | null,
    upsert: boolean,
    probe: Caller | null,
  ) => {
    const target = await bucket(bucketId)
    const mimetype = upload.mimetype
    const essence = mimetype.split(';')[0]?.trim().toLowerCase() ?? ''
    if (
      target.allowed_mime_types?.length &&
      !target.allowed_mime_types.some((allowed) => mimeMatches(allowed, essence))
    ) {
      throw new StorageError(
        415,
        'InvalidMimeType',
        'invalid_mime_type',
        `mime type ${mimetype} is not supported`,
      )
    }
    const limit = Math.min(globalLimit, Number(target.file_size_limit ?? globalLimit))
    // A raw body is the file: its declared length is the file's size. A form's length also
    // counts the form, so there only the file part's bytes are measured.
    if (!upload.multipart && Number(c.req.header('content-length') ?? 0) > limit)
      throw tooLargeError()
    const upsertSql = `insert into storage.objects (bucket_id, name, owner, owner_id, metadata, user_metadata, version)
      values ($1, $2, $3::uuid, $3, $4, $5, $6)
      ${upsert ? 'on conflict (bucket_id, name) do update set metadata = excluded.metadata, user_metadata = excluded.user_metadata, version = excluded.version, owner = excluded.owner, owner_id = excluded.owner_id, updated_at = now()' : ''}
      returning id`
    // The caller's right to write this row, checked with a rolled-back probe.
    if (probe)
      await asRole(
        probe,
        (db) =>
          db.query(upsertSql, [
            bucketId,
            name,
            owner,
            { mimetype, contentLength: 0 },
            upload.userMetadata,
            'probe',
          ]),
        true,
      )
    const { temp, size } = await writeChunks(ctx.storageDir, upload.chunks, limit)
    await upload.rest()
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
          (
            await db.query(upsertSql, [
              bucketId,
              name,
              owner,
              metadata,
              upload.userMetadata,
              version,
            ])
          ).rows[0]?.id,
      )
      await commitFile(temp, filePath(ctx.storageDir, bucketId, name))
      return c.json({ Id: id, Key: `${bucketId}/${name}` })
    } catch (error) {
      await removeFile(temp)
      throw error
    }
  }

  return { store }
}

type Upload = {
  /** The file's bytes, pulled from the request as they are written. */
  chunks: AsyncIterable<Uint8Array>
  /** Content type as sent, parameters kept (`text/plain;charset=utf-8`). */
  mimetype: string
  cacheControl: string
  userMetadata: Json | null
  multipart: boolean
  /** Reads whatever the form holds after the file. */
  rest(): Promise<void>
  /** Reads and drops what is left of the body (before an early answer). */
  drain(): Promise<void>
}

/** Values that end up in response headers: no control characters (CR/LF would split them). */
const HEADER_SAFE = /^[\t\x20-\x7e\x80-\uffff]*$/
function headerValue(field: string, value: string): string {
  if (!HEADER_SAFE.test(value)) {
    throw new StorageError(
      400,
      'InvalidRequest',
      'Bad Request',
      `Invalid ${field}: control characters are not allowed`,
    )
  }
  return value
}

function parseUserMetadata(text: string | undefined): Json | null {
  if (text === undefined || text === '') return null
  let parsed: unknown
  try {
    parsed = parseJsonBody(text)
  } catch {
    throw new StorageError(400, 'InvalidRequest', 'Bad Request', 'Invalid metadata: not JSON')
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new StorageError(400, 'InvalidRequest', 'Bad Request', 'Invalid metadata: not an object')
  return parsed as Json
}

/**
 * The bytes of an upload: the raw body, or the file part of a multipart form (what storage-js
 * sends for Blob/File bodies), both streamed from the Node request itself, which honours
 * backpressure byte by byte (a web stream from Readable.toWeb would queue the whole body).
 */
async function uploadBody(c: Context): Promise<Upload> {
  const type = c.req.header('content-type') ?? ''
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  const source: AsyncIterable<Uint8Array> =
    incoming instanceof Readable ? incoming : (c.req.raw.body ?? (async function* () {})())
  const iterator = source[Symbol.asyncIterator]()
  const drain = () => drainIterator(iterator)
  const once: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => iterator }
  if (type.toLowerCase().startsWith('multipart/form-data')) {
    const boundary = multipartBoundary(type)
    if (!boundary)
      throw new StorageError(
        400,
        'InvalidRequest',
        'Bad Request',
        'Malformed multipart body: no boundary',
      )
    let form: Awaited<ReturnType<typeof readMultipartUpload>>
    try {
      form = await readMultipartUpload(once, boundary)
    } catch (error) {
      await drain()
      throw error
    }
    const cacheControl = form.fields.cacheControl
    try {
      return {
        chunks: form.file,
        mimetype: headerValue('contentType', form.contentType || 'text/plain;charset=UTF-8'),
        cacheControl: cacheControl
          ? headerValue('cacheControl', `max-age=${cacheControl}`)
          : 'no-cache',
        userMetadata: parseUserMetadata(form.fields.metadata),
        multipart: true,
        rest: form.rest,
        drain,
      }
    } catch (error) {
      await drain()
      throw error
    }
  }
  try {
    const encoded = c.req.header('x-metadata')
    return {
      chunks: once,
      mimetype: headerValue('contentType', type || 'application/octet-stream'),
      cacheControl: headerValue('cacheControl', c.req.header('cache-control') ?? 'no-cache'),
      userMetadata: parseUserMetadata(
        encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8'),
      ),
      multipart: false,
      rest: async () => undefined,
      drain,
    }
  } catch (error) {
    await drain()
    throw error
  }
}

function mimeMatches(allowed: string, actual: string) {
  const a = allowed.toLowerCase()
  return a === actual || (a.endsWith('/*') && actual.startsWith(a.slice(0, -1)))
}
