import { Hono } from 'hono'
import { type AuthContext, object, text } from '#src/auth/auth-context.ts'
import { AuthError, emailExists, validation } from '#src/auth/errors.ts'
import { sendEmailChange, sendReauthentication } from '#src/auth/mail.ts'
import { clearAllOneTimeTokens, clearOneTimeToken, tokenHash } from '#src/auth/one-time-tokens.ts'
import { checkPasswordStrength } from '#src/auth/password-strength.ts'
import { createFlowState, flowOf } from '#src/auth/pkce.ts'
import { type UserRow, userJson } from '#src/auth/user-json.ts'
import {
  checkPassword,
  type Db,
  findUserByEmail,
  findUserById,
  hashPassword,
  mergeMetadata,
  savingUser,
} from '#src/auth/users.ts'
import { validateEmail } from '#src/auth/validate-email.ts'

/** A session older than this needs a reauthentication nonce to change the password. */
const RECENT_SESSION_MS = 24 * 3600 * 1000

/** GET/PUT /user and GET /reauthenticate: the signed-in user's own account (GoTrue's user.go). */
export function userRoutes(auth: AuthContext): Hono {
  const app = new Hono()

  app.get('/user', async (c) =>
    c.json(userJson(await auth.tx(async (db) => (await auth.currentUser(c, db)).user))),
  )

  app.put('/user', async (c) => {
    const input = await auth.body(c)
    const rawEmail = text(input, 'email')
    const email = rawEmail === '' ? '' : validateEmail(rawEmail)
    const password =
      input.password === undefined || input.password === null ? undefined : text(input, 'password')
    const nonce = text(input, 'nonce')
    const data = object(input, 'data')
    const flow = flowOf(input)
    const referrer = auth.referrer(c)
    if (password !== undefined) checkPasswordStrength(auth.config, password)
    if (input.app_metadata !== undefined && input.app_metadata !== null) {
      throw new AuthError(403, 'not_admin', 'Updating app_metadata requires admin privileges')
    }
    const user = await auth.tx(async (db) => {
      const { user, claims } = await auth.currentUser(c, db)
      const sessionId = typeof claims.session_id === 'string' ? claims.session_id : undefined
      if (text(input, 'phone') !== '' && text(input, 'phone') !== user.phone) {
        throw new AuthError(422, 'phone_provider_disabled', 'Phone logins are disabled')
      }
      const changesEmail = email !== '' && email !== user.email
      if (changesEmail) {
        const taken = await findUserByEmail(db, email)
        if (taken && taken.id !== user.id) throw emailExists()
      }
      if (password !== undefined) {
        await changePassword(auth, db, user, password, { nonce, sessionId })
      }
      if (data) {
        await savingUser('Error updating user', () =>
          db.query(
            'update auth.users set raw_user_meta_data = $2, updated_at = now() where id = $1',
            [user.id, mergeMetadata(user.raw_user_meta_data, data)],
          ),
        )
      }
      if (changesEmail) {
        // The address changes only when the mailed link(s) are followed (verification.ts).
        await createFlowState(db, {
          userId: user.id,
          providerType: 'email_change',
          authenticationMethod: 'email_change',
          flow,
        })
        const fresh = (await findUserById(db, user.id)) as UserRow
        await sendEmailChange(auth, db, fresh, email, flow, referrer)
      }
      return (await findUserById(db, user.id)) as UserRow
    })
    return c.json(userJson(user))
  })

  app.get('/reauthenticate', async (c) => {
    await auth.tx(async (db) => {
      const { user } = await auth.currentUser(c, db)
      if (!user.email && !user.phone) {
        throw validation('Reauthentication requires the user to have an email or a phone number')
      }
      if (user.email && !user.email_confirmed_at) {
        throw new AuthError(422, 'email_not_confirmed', 'Please verify your email first.')
      }
      await sendReauthentication(auth, db, user)
    })
    return c.json({})
  })

  return app
}

/**
 * GoTrue's password update: a nonce from /reauthenticate when `secure_password_change` is on
 * and the session is not recent; never the same password; then every pending token is voided
 * and every other session of the user ends.
 */
async function changePassword(
  auth: AuthContext,
  db: Db,
  user: UserRow,
  password: string,
  options: { nonce: string; sessionId: string | undefined },
) {
  if (auth.config.email.secure_password_change) {
    const { rows } = await db.query<{ created_at: Date }>(
      'select created_at from auth.sessions where id = $1',
      [options.sessionId ?? null],
    )
    const created = rows[0]?.created_at
    if (!created || Date.now() > created.getTime() + RECENT_SESSION_MS) {
      if (options.nonce === '') {
        throw new AuthError(
          400,
          'reauthentication_needed',
          'Password update requires reauthentication',
        )
      }
      await checkNonce(auth, db, user, options.nonce)
    }
  }
  if (password !== '' && (await checkPassword(password, user.encrypted_password))) {
    throw new AuthError(
      422,
      'same_password',
      'New password should be different from the old password.',
    )
  }
  await savingUser('Error during password storage', async () => {
    await db.query(
      `update auth.users set encrypted_password = $2, confirmation_token = '', confirmation_sent_at = null,
         recovery_token = '', recovery_sent_at = null, email_change_token_current = '', email_change_token_new = '',
         email_change_sent_at = null, phone_change_token = '', phone_change_sent_at = null,
         reauthentication_token = '', reauthentication_sent_at = null, updated_at = now()
       where id = $1`,
      [user.id, await hashPassword(password)],
    )
  })
  await clearAllOneTimeTokens(db, user.id)
  await db.query('delete from auth.sessions where user_id = $1 and id is distinct from $2', [
    user.id,
    options.sessionId ?? null,
  ])
}

/** GoTrue's verifyReauthentication: the mailed code, within its expiry, used once. */
async function checkNonce(auth: AuthContext, db: Db, user: UserRow, nonce: string) {
  const invalid = () =>
    new AuthError(422, 'reauthentication_not_valid', 'Nonce has expired or is invalid')
  const sentAt = user.reauthentication_sent_at as string | null
  if (!user.reauthentication_token || !sentAt) throw invalid()
  const expired = Date.now() > new Date(sentAt).getTime() + auth.config.email.otp_expiry * 1000
  if (expired || tokenHash(String(user.email), nonce) !== user.reauthentication_token)
    throw invalid()
  await clearOneTimeToken(db, user.id, 'reauthentication')
  await clearAllOneTimeTokens(db, user.id)
}
