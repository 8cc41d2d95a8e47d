/** The one error type of the local stack: a stable code and a message that says what to do. */
export class LocalStackError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.name = 'LocalStackError'
    this.code = code
  }
}
