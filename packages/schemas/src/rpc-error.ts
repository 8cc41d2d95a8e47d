/** The one error type of `rpc()`: a stable code plus what PostgREST or the schema said. */
export class RpcError extends Error {
  /** SQLSTATE or PostgREST code (`42501`, `P0001`, `PGRST202`), or `invalid_args` / `invalid_result`. */
  readonly code: string
  readonly details: string | null
  readonly hint: string | null
  constructor(
    code: string,
    message: string,
    details: string | null = null,
    hint: string | null = null,
  ) {
    super(message)
    this.name = 'RpcError'
    this.code = code
    this.details = details
    this.hint = hint
  }
}
