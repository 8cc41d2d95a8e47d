import { restDatabaseFailure } from '#src/gateway/database-failure.ts'

/** A PostgREST error: status plus the body keys code, message, details, hint. */
export class RestError extends Error {
  readonly status: number
  readonly code: string
  readonly details: unknown
  readonly hint: string | null
  readonly headers: Record<string, string>
  constructor(
    status: number,
    code: string,
    message: string,
    details: unknown = null,
    hint: string | null = null,
    headers: Record<string, string> = {},
  ) {
    super(message)
    this.status = status
    this.code = code
    this.details = details
    this.hint = hint
    this.headers = headers
  }
}

/** SQLSTATE → HTTP status, as PostgREST's pgErrorStatus maps it. */
export function statusForSqlState(code: string, message: string, role: string): number {
  if (code === '42501') return role === 'anon' ? 401 : 403
  if (code === 'P0001') return 400
  if (code === '23503' || code === '23505') return 409
  if (code === '25006') return 405
  if (code === '21000') return /requires a WHERE clause/.test(message) ? 400 : 500
  if (code === '22023' && /^role .* does not exist/.test(message)) return 401
  if (code === '42883') return 404
  if (code === '42P01') return 404
  if (code === '53400' || code === '42P17') return 500
  if (code === '57P01') return 503
  if (code.startsWith('08') || code.startsWith('53')) return 503
  if (code.startsWith('28') || code.startsWith('0L') || code.startsWith('0P')) return 403
  if (/^PT\d{3}$/.test(code)) return Number(code.slice(2))
  if (
    ['09', '25', '2D', '38', '39', '3B', '40', '54', '55', '57', '58', 'F0', 'HV', 'P0', 'XX'].some(
      (p) => code.startsWith(p),
    )
  ) {
    return 500
  }
  return 400
}

export function fromDatabaseError(error: unknown, role: string): RestError {
  const down = restDatabaseFailure(error)
  if (down) return new RestError(down.status, down.code, down.message, down.details)
  const e = error as { code?: string; message?: string; detail?: string; hint?: string }
  if (!e.code) return new RestError(500, 'PGRST000', e.message ?? 'Database connection error')
  return new RestError(
    statusForSqlState(e.code, e.message ?? '', role),
    e.code,
    e.message ?? '',
    e.detail ?? null,
    e.hint ?? null,
  )
}
