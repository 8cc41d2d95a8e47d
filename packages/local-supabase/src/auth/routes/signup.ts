import { Hono } from 'hono'
import { type AuthContext, object, text } from '#src/auth/auth-context.ts'
import { AuthError, validation } from '#src/auth/errors.ts'
import { checkPasswordStrength } from '#src/auth/password-strength.ts'
import { flowOf } from '#src/auth/pkce.ts'
import { signUp } from '#src/auth/sign-up.ts'

/** POST /signup (email and password; phone sign-up is not offered locally). */
export function signupRoutes(auth: AuthContext): Hono {
  const app = new Hono()
  app.post('/signup', async (c) => {
    const input = await auth.body(c)
    const email = text(input, 'email')
    const password = text(input, 'password')
    if (email === '' && text(input, 'phone') === '') {
      // Neither: an anonymous sign-in, which [auth] enable_anonymous_sign_ins leaves off.
      throw new AuthError(422, 'anonymous_provider_disabled', 'Anonymous sign-ins are disabled')
    }
    if (email === '') {
      // A phone sign-up: GoTrue's checks in its order; the CLI has no SMS provider.
      if (!auth.config.enable_signup) {
        throw new AuthError(422, 'signup_disabled', 'Signups not allowed for this instance')
      }
      if (password === '') throw validation('Signup requires a valid password')
      checkPasswordStrength(auth.config, password)
      throw new AuthError(400, 'phone_provider_disabled', 'Phone signups are disabled')
    }
    return c.json(
      await signUp(auth, {
        email,
        password,
        data: object(input, 'data') ?? {},
        flow: flowOf(input),
        referrer: auth.referrer(c),
      }),
    )
  })
  return app
}
