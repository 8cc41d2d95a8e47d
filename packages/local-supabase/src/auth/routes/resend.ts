import { Hono } from 'hono'
import { type AuthContext, text } from '#src/auth/auth-context.ts'
import { AuthError, validation } from '#src/auth/errors.ts'
import { sendConfirmation, sendEmailChange } from '#src/auth/mail.ts'
import { createFlowState, type Flow, flowOf } from '#src/auth/pkce.ts'
import { findUserByEmail } from '#src/auth/users.ts'
import { validateEmail } from '#src/auth/validate-email.ts'

/**
 * POST /resend: the sign-up confirmation or email change mail again (GoTrue's resend.go).
 * Unknown addresses, confirmed sign-ups and absent email changes get `{}` and no mail.
 */
export function resendRoutes(auth: AuthContext): Hono {
  const app = new Hono()
  app.post('/resend', async (c) => {
    const input = await auth.body(c)
    const type = text(input, 'type')
    const email = text(input, 'email')
    const phone = text(input, 'phone')
    let flow: Flow = { pkce: false }
    if (type === 'signup' || type === 'email_change') flow = flowOf(input)
    else if (type !== 'sms' && type !== 'phone_change') {
      throw validation('Missing one of these types: signup, email_change, sms, phone_change')
    }
    if (email === '' && type === 'signup')
      throw validation('Type provided requires an email address')
    if (phone === '' && type === 'sms') throw validation('Type provided requires a phone number')
    if (email !== '' && phone !== '') {
      throw validation('Only an email address or phone number should be provided.')
    }
    if (email === '' && phone === '') throw validation('Missing email address or phone number')
    if (phone !== '') {
      throw new AuthError(400, 'phone_provider_disabled', 'Phone logins are disabled')
    }
    if (!auth.config.email.enable_signup) {
      throw new AuthError(400, 'email_provider_disabled', 'Email logins are disabled')
    }
    const address = validateEmail(email)
    const referrer = auth.referrer(c)
    await auth.tx(async (db) => {
      const user = await findUserByEmail(db, address)
      if (!user) return
      if (type === 'signup') {
        if (user.email_confirmed_at) return
        await createFlowState(db, {
          userId: user.id,
          providerType: 'email/signup',
          authenticationMethod: 'email/signup',
          flow,
        })
        await sendConfirmation(auth, db, user, flow, referrer)
      } else if (type === 'email_change') {
        if (!user.email_change) return
        await createFlowState(db, {
          userId: user.id,
          providerType: 'email_change',
          authenticationMethod: 'email_change',
          flow,
        })
        await sendEmailChange(auth, db, user, String(user.email_change), flow, referrer)
      }
    })
    return c.json({})
  })
  return app
}
