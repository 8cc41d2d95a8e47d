import type { Context } from 'hono'

/**
 * A Storage error. The HTTP status is 400 for everything but internal errors; the real status
 * travels as a string in `statusCode` (storage:src/internal/errors/storage-error.ts).
 */
export class StorageError extends Error {
  readonly statusCode: number
  readonly error: string
  readonly code: string
  constructor(statusCode: number, code: string, error: string, message: string) {
    super(message)
    this.statusCode = statusCode
    this.code = code
    this.error = error
  }
}

export function storageErrorResponse(c: Context, e: StorageError): Response {
  const status = e.statusCode === 500 ? 500 : 400
  return c.json(
    { statusCode: String(e.statusCode), code: e.code, error: e.error, message: e.message },
    status,
  )
}

export const notFound = () => new StorageError(404, 'NoSuchKey', 'not_found', 'Object not found')
export const bucketNotFound = () =>
  new StorageError(404, 'NoSuchBucket', 'Bucket not found', 'Bucket not found')
export const rlsDenied = () =>
  new StorageError(
    403,
    'AccessDenied',
    'Unauthorized',
    'new row violates row-level security policy',
  )
export const invalidKey = (key: string) =>
  new StorageError(400, 'InvalidKey', 'Invalid key', `Invalid key: ${key}`)
