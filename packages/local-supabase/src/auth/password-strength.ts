import { AuthError, validation } from '#src/auth/errors.ts'
import type { StackConfig } from '#src/gateway/config.ts'

/** bcrypt reads at most 72 bytes, so GoTrue refuses longer passwords. */
const MAX_PASSWORD_BYTES = 72

/** GoTrue's checkPasswordStrength for the length rules (`minimum_password_length`; bytes, as Go's len). */
export function checkPasswordStrength(config: StackConfig['auth'], password: string): void {
  const bytes = Buffer.byteLength(password)
  if (bytes > MAX_PASSWORD_BYTES) {
    throw validation(`Password cannot be longer than ${MAX_PASSWORD_BYTES} characters`)
  }
  if (bytes < config.minimum_password_length) {
    throw new AuthError(
      422,
      'weak_password',
      `Password should be at least ${config.minimum_password_length} characters.`,
      { weak_password: { reasons: ['length'] } },
    )
  }
}
