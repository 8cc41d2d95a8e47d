import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import { type AuthContext, type Json, object, text } from '#src/auth/auth-context.ts'
import { AuthError, validation } from '#src/auth/errors.ts'
import { sendMagicLink } from '#src/auth/mail.ts'
import { createFlowState, type Flow, flowOf } from '#src/auth/pkce.ts'
import { signUp } from '#src/auth/sign-up.ts'
import { findUserByEmail } from '#src/auth/users.ts'
import { validateEmail } from '#src/auth/validate-email.ts'

/**
 * POST /otp (`signInWithOtp`) and POST /magiclink: a mail with a magic link and a code
 * (auth:internal/api/otp.go, magic_link.go). An unknown or unconfirmed address is signed up
 * first unless `create_user` is false; that sign-up meets the same database rules as /signup
 * (here: invite-only, so it fails without an invitation like sign-up does).
 */
export function otpRoutes(auth: AuthContext): Hono {
  const app = new Hono()

  app.post('/otp', async (c) => {
    const input = await auth.body(c)
    const email = text(input, 'email')
    const phone = text(input, 'phone')
    if (email !== '' && phone !== '') {
      throw validation('Only an email address or phone number should be provided')
    }
    if (email !== '' && text(input, 'channel') !== '') {
      throw validation('Channel should only be specified with Phone OTP')
    }
    const flow = flowOf(input)
    const createUser = input.create_user === undefined ? true : input.create_user === true
    if (!createUser && email !== '') {
      const exists = await auth.tx((db) => findUserByEmail(db, validateEmail(email)))
      if (!exists) throw new AuthError(422, 'otp_disabled', 'Signups not allowed for otp')
    }
    if (email !== '') {
      await magicLink(auth, {
        email,
        data: object(input, 'data') ?? {},
        flow,
        referrer: auth.referrer(c),
      })
      return c.json({})
    }
    if (phone !== '') {
      // The CLI leaves [auth.sms] without a provider; phone OTPs are not offered locally.
      throw new AuthError(400, 'phone_provider_disabled', 'Unsupported phone provider')
    }
    throw validation('One of email or phone must be set')
  })

  app.post('/magiclink', async (c) => {
    const input = await auth.body(c)
    await magicLink(auth, {
      email: text(input, 'email'),
      data: object(input, 'data') ?? {},
      flow: flowOf(input),
      referrer: auth.referrer(c),
    })
    return c.json({})
  })

  return app
}

/** GoTrue's MagicLink handler. */
async function magicLink(
  auth: AuthContext,
  input: { email: string; data: Json; flow: Flow; referrer: string },
): Promise<void> {
  if (!auth.config.email.enable_signup) {
    throw new AuthError(422, 'email_provider_disabled', 'Email logins are disabled')
  }
  if (input.email === '') {
    throw new AuthError(422, 'validation_failed', 'Password recovery requires an email')
  }
  const email = validateEmail(input.email)
  const existing = await auth.tx((db) => findUserByEmail(db, email))
  if (!existing?.email_confirmed_at) {
    // Signed up with a throwaway password; with confirmations on the confirmation mail is
    // the magic link, with autoconfirm the magic link follows.
    await signUp(auth, {
      email,
      password: randomBytes(33).toString('base64url'),
      data: input.data,
      flow: input.flow,
      referrer: input.referrer,
    })
    if (auth.config.email.enable_confirmations) return
  }
  await auth.tx(async (db) => {
    const user = await findUserByEmail(db, email)
    if (!user) throw new AuthError(500, 'unexpected_failure', 'Database error finding user')
    await createFlowState(db, {
      userId: user.id,
      providerType: 'magiclink',
      authenticationMethod: 'magiclink',
      flow: input.flow,
    })
    await sendMagicLink(auth, db, user, input.flow, input.referrer)
  })
}
