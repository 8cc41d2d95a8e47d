import type { Context } from 'hono'

/** A GoTrue error: HTTP status, stable error code, message (auth:internal/api/apierrors). */
export class AuthError extends Error {
  readonly status: number
  readonly code: string
  /** Extra body fields GoTrue sends with some errors (e.g. `weak_password`). */
  readonly extra: Record<string, unknown>
  constructor(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
    super(message)
    this.status = status
    this.code = code
    this.extra = extra
  }
}

/**
 * An error whose transaction must still commit: GoTrue's `storage.NewCommitWithError`, used when
 * a refused request has to leave a durable trace (e.g. revoking a session on refresh token reuse).
 */
export class CommitWithError extends Error {
  readonly error: AuthError
  constructor(error: AuthError) {
    super(error.message)
    this.error = error
  }
}

/**
 * GoTrue's error body: the 2024 format when the client sends X-Supabase-Api-Version (auth-js
 * does), else the legacy one. The header is echoed on errors only, as GoTrue does; without it
 * auth-js loses error.code.
 */
export function authErrorResponse(c: Context, error: AuthError): Response {
  const modern = (c.req.header('x-supabase-api-version') ?? '') >= '2024-01-01'
  const headers = { 'x-supabase-api-version': '2024-01-01', 'x-sb-error-code': error.code }
  const body = modern
    ? { code: error.code, message: error.message, ...error.extra }
    : { code: error.status, error_code: error.code, msg: error.message, ...error.extra }
  return c.json(body, error.status as 400, headers)
}

export const invalidCredentials = () =>
  new AuthError(400, 'invalid_credentials', 'Invalid login credentials')
export const badJwt = (message: string) => new AuthError(403, 'bad_jwt', message)
export const notAdmin = () => new AuthError(403, 'not_admin', 'User not allowed')
export const validation = (message: string) => new AuthError(400, 'validation_failed', message)
export const emailExists = () =>
  new AuthError(422, 'email_exists', 'A user with this email address has already been registered')
export const userNotFound = () => new AuthError(404, 'user_not_found', 'User not found')
