import { Hono } from 'hono'
import { type AuthContext, text } from '#src/auth/auth-context.ts'
import { AuthError, validation } from '#src/auth/errors.ts'
import { sendRecovery } from '#src/auth/mail.ts'
import { createFlowState, flowOf } from '#src/auth/pkce.ts'
import { findUserByEmail } from '#src/auth/users.ts'
import { validateEmail } from '#src/auth/validate-email.ts'

/** POST /recover: mails a password recovery link; unknown addresses get the same `{}`. */
export function recoverRoutes(auth: AuthContext): Hono {
  const app = new Hono()
  app.post('/recover', async (c) => {
    if (!auth.config.email.enable_signup) {
      throw new AuthError(400, 'email_provider_disabled', 'Email logins are disabled')
    }
    const input = await auth.body(c)
    const flow = flowOf(input)
    const raw = text(input, 'email')
    if (raw === '') throw validation('Password recovery requires an email')
    const email = validateEmail(raw)
    const referrer = auth.referrer(c)
    await auth.tx(async (db) => {
      const user = await findUserByEmail(db, email)
      if (!user) return
      await createFlowState(db, {
        userId: user.id,
        providerType: 'recovery',
        authenticationMethod: 'recovery',
        flow,
      })
      await sendRecovery(auth, db, user, flow, referrer)
    })
    return c.json({})
  })
  return app
}
