import { Hono } from 'hono'
import { type AuthContext, text } from '#src/auth/auth-context.ts'
import { AuthError, invalidCredentials, validation } from '#src/auth/errors.ts'
import { idTokenGrant } from '#src/auth/id-token.ts'
import { exchangeAuthCode } from '#src/auth/pkce.ts'
import { refreshTokenGrant } from '#src/auth/refresh.ts'
import { issueSession } from '#src/auth/tokens.ts'
import type { UserRow } from '#src/auth/user-json.ts'
import { checkPassword, findUserByEmail, findUserById } from '#src/auth/users.ts'

/**
 * POST /token: the password, refresh_token and pkce grants (GoTrue's internal/api/token.go); the
 * id_token and web3 grants answer as GoTrue does with their providers off, as the CLI leaves them.
 */
export function tokenRoutes(auth: AuthContext): Hono {
  const app = new Hono()

  app.post('/token', async (c) => {
    const grant = c.req.query('grant_type')
    const input = await auth.body(c)
    switch (grant) {
      case 'password':
        return c.json(await passwordGrant(auth, input))
      case 'refresh_token':
        return c.json(await refreshTokenGrant(auth, text(input, 'refresh_token')))
      case 'pkce':
        return c.json(
          await auth.tx(async (db) => {
            const { userId, authenticationMethod } = await exchangeAuthCode(
              db,
              text(input, 'auth_code'),
              text(input, 'code_verifier'),
            )
            const user = (await findUserById(db, userId)) as UserRow
            return issueSession(auth.gateway, db, user, authenticationMethod)
          }),
        )
      case 'id_token':
        return idTokenGrant(c, input)
      case 'web3':
        // The CLI leaves [auth.web3.*] disabled.
        throw new AuthError(422, 'web3_provider_disabled', 'Web3 provider is disabled')
      default:
        throw new AuthError(400, 'invalid_credentials', 'unsupported_grant_type')
    }
  })

  return app
}

async function passwordGrant(auth: AuthContext, input: Record<string, unknown>) {
  const email = text(input, 'email')
  const phone = text(input, 'phone')
  const password = text(input, 'password')
  if (email !== '' && phone !== '') {
    throw validation('Only an email address or phone number should be provided on login.')
  }
  if (phone !== '') {
    throw new AuthError(422, 'phone_provider_disabled', 'Phone logins are disabled')
  }
  if (email === '') throw validation('missing email or phone')
  if (!auth.config.email.enable_signup) {
    throw new AuthError(422, 'email_provider_disabled', 'Email logins are disabled')
  }
  return auth.tx(async (db) => {
    const user = await findUserByEmail(db, email)
    if (!user?.encrypted_password) throw invalidCredentials()
    if (user.banned_until && new Date(user.banned_until as string) > new Date()) {
      throw new AuthError(400, 'user_banned', 'User is banned')
    }
    if (!(await checkPassword(password, user.encrypted_password))) throw invalidCredentials()
    if (!user.email_confirmed_at) {
      throw new AuthError(400, 'email_not_confirmed', 'Email not confirmed')
    }
    const session = await issueSession(auth.gateway, db, user, 'password')
    // GoTrue signs in with a password that no longer meets the rules, and says so.
    const minimum = auth.config.minimum_password_length
    return Buffer.byteLength(password) < minimum
      ? {
          ...session,
          weak_password: {
            message: `Password should be at least ${minimum} characters.`,
            reasons: ['length'],
          },
        }
      : session
  })
}
