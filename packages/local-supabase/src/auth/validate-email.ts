import { validation } from '#src/auth/errors.ts'

// The format GoTrue accepts (github.com/badoux/checkmail ValidateFormat, the WHATWG
// "valid e-mail address" rule): no quoted local parts, no IP literals, no TLD required.
const EMAIL_FORMAT =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/

/** GoTrue's validateEmail: required, at most 255 characters, the format above; lower-cased. */
export function validateEmail(email: string): string {
  if (email === '') throw validation('An email address is required')
  if (email.length > 255) throw validation('An email address is too long')
  if (!EMAIL_FORMAT.test(email)) {
    throw validation('Unable to validate email address: invalid format')
  }
  return email.toLowerCase()
}
