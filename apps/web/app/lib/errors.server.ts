import { data } from '@remix-run/node'
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
