import { Hono } from 'hono'
import { type AuthContext, text } from '#src/auth/auth-context.ts'
import { AuthError, validation } from '#src/auth/errors.ts'
import { authenticationMethodOf, issueAuthCode, PKCE_PREFIX } from '#src/auth/pkce.ts'
import { issueSession } from '#src/auth/tokens.ts'
import { validateEmail } from '#src/auth/validate-email.ts'
import {
  applyVerification,
  findByEmailOtp,
  findByTokenHash,
  isEmailVerifyType,
  SINGLE_CONFIRMATION_ACCEPTED,
} from '#src/auth/verification.ts'

/** GoTrue's oauthErrorMap: the `error` of a redirect for an HTTP status. */
const OAUTH_ERRORS: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized_client',
  403: 'access_denied',
  500: 'server_error',
  503: 'temporarily_unavailable',
}

/**
 * POST /verify (`verifyOtp`: a session in the body) and GET /verify (the link in a mail: a
 * redirect to the allowed `redirect_to`, with the session in the fragment, or `?code=` for
 * PKCE tokens, or the error), as GoTrue's internal/api/verify.go.
 */
export function verifyRoutes(auth: AuthContext): Hono {
  const app = new Hono()

  app.post('/verify', async (c) => {
    const input = await auth.body(c)
    const type = text(input, 'type')
    const token = text(input, 'token')
    const hash = text(input, 'token_hash')
    const email = text(input, 'email')
    const phone = text(input, 'phone')
    if (type === '') throw validation('Verify requires a verification type')
    if ((token === '') === (hash === '')) {
      throw validation('Verify requires either a token or a token hash')
    }
    if (token !== '' && (phone === '') === (email === '')) {
      throw validation('Only an email address or phone number should be provided on verify')
    }
    if (hash !== '' && (email || phone || text(input, 'redirect_to'))) {
      throw validation('Only the token_hash and type should be provided')
    }
    if (token !== '' && phone !== '') {
      // Phone OTPs are not offered locally: no such phone user can exist.
      throw new AuthError(403, 'otp_expired', 'Token has expired or is invalid')
    }
    let address = ''
    if (token !== '') {
      try {
        address = validateEmail(email)
      } catch {
        throw new AuthError(422, 'validation_failed', 'Invalid email format')
      }
    }
    if (!isEmailVerifyType(type)) {
      throw validation(
        type === 'sms' || type === 'phone_change'
          ? 'Unsupported verification type'
          : 'Invalid email verification type',
      )
    }
    const result = await auth.tx(async (db) => {
      const found =
        hash !== ''
          ? await findByTokenHash(auth, db, type, hash)
          : await findByEmailOtp(auth, db, type, address, token)
      const verified = await applyVerification(auth, db, found)
      if (!verified.user) return undefined
      return issueSession(auth.gateway, db, verified.user, 'otp')
    })
    if (!result) return c.json({ msg: SINGLE_CONFIRMATION_ACCEPTED, code: '200' })
    return c.json(result)
  })

  app.get('/verify', async (c) => {
    const type = c.req.query('type') ?? ''
    const token = c.req.query('token') ?? ''
    if (type === '') throw validation('Verify requires a verification type')
    if (token === '') throw validation('Verify requires a token or a token hash')
    const redirectTo = auth.referrer(c)
    const pkce = token.startsWith(PKCE_PREFIX)
    const method = pkce ? authenticationMethodOf(type) : ''
    try {
      if (!isEmailVerifyType(type)) throw validation('Invalid email verification type')
      const outcome = await auth.tx(async (db) => {
        const verified = await applyVerification(
          auth,
          db,
          await findByTokenHash(auth, db, type, token),
        )
        if (!verified.user)
          return { kind: 'message', message: SINGLE_CONFIRMATION_ACCEPTED } as const
        if (pkce) {
          return { kind: 'code', code: await issueAuthCode(db, verified.user.id, method) } as const
        }
        return {
          kind: 'session',
          session: await issueSession(auth.gateway, db, verified.user, 'otp'),
          type: verified.type,
        } as const
      })
      if (outcome.kind === 'message') {
        return c.redirect(withMessage(redirectTo, outcome.message, pkce), 303)
      }
      if (outcome.kind === 'code') {
        const url = new URL(redirectTo)
        url.searchParams.set('code', outcome.code)
        return c.redirect(url.toString(), 303)
      }
      const { session } = outcome
      const fragment = new URLSearchParams({
        access_token: session.access_token,
        expires_at: String(session.expires_at),
        expires_in: String(session.expires_in),
        refresh_token: session.refresh_token,
        sb: '',
        token_type: 'bearer',
        type: outcome.type,
      })
      return c.redirect(`${redirectTo}#${fragment.toString()}`, 303)
    } catch (error) {
      if (!(error instanceof AuthError)) throw error
      return c.redirect(withError(redirectTo, error, pkce), 303)
    }
  })

  return app
}

/** GoTrue's prepErrorRedirectURL: the error in the fragment, and in the query for PKCE. */
function withError(redirectTo: string, error: AuthError, pkce: boolean): string {
  const url = new URL(redirectTo)
  const fragment = new URLSearchParams()
  const oauth = OAUTH_ERRORS[error.status]
  if (oauth) fragment.set('error', oauth)
  fragment.set('error_code', error.code)
  fragment.set('error_description', error.message)
  if (pkce) {
    if (oauth) url.searchParams.set('error', oauth)
    url.searchParams.set('error_code', error.code)
    url.searchParams.set('error_description', error.message)
  }
  fragment.set('sb', '')
  url.hash = fragment.toString()
  return url.toString()
}

/** GoTrue's prepRedirectURL: a message in the fragment, and in the query for PKCE. */
function withMessage(redirectTo: string, message: string, pkce: boolean): string {
  const url = new URL(redirectTo)
  if (pkce) url.searchParams.set('message', message)
  url.hash = new URLSearchParams({ message, sb: '' }).toString()
  return url.toString()
}
