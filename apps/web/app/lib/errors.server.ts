import { data } from '@remix-run/node'
import type { StorageApiError } from '@supabase/supabase-js'
import { RpcError } from '@tenantbase/schemas/rpc-error'
import type { FormFailure } from '#app/lib/forms.ts'
import { respond, withSessionHeaders } from '#app/lib/http.server.ts'

/** A refusal the UI can explain: an HTTP status and the database's sentence. */
export type Refusal = { status: number; message: string }

/**
 * The one place that turns database errors into what people see. The database decides and
 * says why (its messages are written for people); the app maps the SQLSTATE to a status.
 * Anything unexpected is rethrown and becomes a 500 with the generic error page.
 */
export function describeError(error: unknown): Refusal {
  if (isStorageApiError(error)) return describeStorageError(error)
  if (!(error instanceof RpcError)) throw error
  switch (error.code) {
    case '42501':
      return { status: 403, message: error.message || 'You are not allowed to do that.' }
    case '22023':
    case '22P02':
    case '23514':
    case 'P0001':
      return { status: 400, message: error.message }
    case '23505':
      return { status: 409, message: error.message || 'That already exists.' }
    case 'P0002':
    case 'PT404':
    case 'PGRST116':
      return { status: 404, message: error.message || 'Not found.' }
    case 'invalid_args':
      return { status: 400, message: 'Some of the values are not valid.' }
    default:
      throw error
  }
}

/**
 * Errors of supabase-js' storage client, recognised by the flag storage-js itself checks
 * (`isStorageError`): the client may come from another copy of the package than this module's.
 */
function isStorageApiError(error: unknown): error is StorageApiError {
  return (
    error instanceof Error &&
    (error as { __isStorageError?: unknown }).__isStorageError === true &&
    'statusCode' in error
  )
}

/**
 * Storage answers HTTP 400 with the real status in `statusCode`; its messages are technical
 * ("new row violates row-level security policy"), so they are said in words here.
 */
function describeStorageError(error: StorageApiError): Refusal {
  switch (String(error.statusCode ?? error.status)) {
    case '401':
    case '403':
      return { status: 403, message: 'You are not allowed to change the files of this record.' }
    case '404':
      return { status: 404, message: 'The file does not exist, or you may not see it.' }
    case '409':
      return { status: 409, message: 'A file with this name is already attached.' }
    case '413':
      return { status: 413, message: 'The file is larger than the storage limit allows.' }
    case '415':
      return { status: 415, message: 'This type of file is not accepted.' }
    case '400':
      return { status: 400, message: error.message || 'The file could not be stored.' }
    default:
      throw error
  }
}

/** For actions: the refusal as a form message, keeping what was typed. */
export function formRefusal(
  session: { headers: Headers },
  error: unknown,
  failure: Omit<FormFailure, 'ok' | 'formError'> = {},
) {
  const refusal = describeError(error)
  return respond(
    session,
    { ok: false, ...failure, formError: refusal.message } satisfies FormFailure,
    { status: refusal.status },
  )
}

/** For loaders: throws the refusal to the nearest error boundary (with the session cookies). */
export function loaderRefusal(session: { headers: Headers }) {
  return (error: unknown): never => {
    const refusal = describeError(error)
    throw data(
      { message: refusal.message },
      { status: refusal.status, headers: withSessionHeaders(session.headers) },
    )
  }
}

/** A 404 that does not say whether the thing exists for someone else. */
export function notFound(session: { headers: Headers }, message: string): never {
  throw data({ message }, { status: 404, headers: withSessionHeaders(session.headers) })
}

/** A 403 with a sentence, for pages the viewer may not use at all. */
export function forbidden(session: { headers: Headers }, message: string): never {
  throw data({ message }, { status: 403, headers: withSessionHeaders(session.headers) })
}
