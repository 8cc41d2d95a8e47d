import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import { type AuthContext, object, text } from '#src/auth/auth-context.ts'
import { AuthError, emailExists, validation } from '#src/auth/errors.ts'
import { verifyLink } from '#src/auth/mail.ts'
import { generateOtp, storeOneTimeToken, tokenHash } from '#src/auth/one-time-tokens.ts'
import { checkPasswordStrength } from '#src/auth/password-strength.ts'
import { isRedirectUrlValid } from '#src/auth/redirect.ts'
import { type UserRow, userJson } from '#src/auth/user-json.ts'
import {
  type Db,
  findUserByEmail,
  findUserById,
  insertUser,
  mergeMetadata,
  savingUser,
} from '#src/auth/users.ts'
import { validateEmail } from '#src/auth/validate-email.ts'

const TYPES = [
  'signup',
  'invite',
  'magiclink',
  'recovery',
  'email_change_current',
  'email_change_new',
] as const
type LinkType = (typeof TYPES)[number]

/**
 * POST /admin/generate_link (admin only): the link and code a mail would carry, without
 * sending it (GoTrue's adminGenerateLink in internal/api/mail.go).
 */
export function generateLinkRoutes(auth: AuthContext): Hono {
  const app = new Hono()
  app.post('/admin/generate_link', async (c) => {
    const input = await auth.body(c)
    const email = validateEmail(text(input, 'email'))
    const asked = text(input, 'redirect_to')
    const referrer = isRedirectUrlValid(auth.config, asked) ? asked : auth.referrer(c)
    const requested = text(input, 'type')
    if (!(TYPES as readonly string[]).includes(requested)) {
      throw validation(`Invalid email action link type requested: ${requested}`)
    }
    const data = object(input, 'data') ?? {}
    const otp = generateOtp(auth.config.email.otp_length)
    const hashed = tokenHash(email, otp)
    const result = await auth.tx(async (db) => {
      let type = requested as LinkType
      let user = await findUserByEmail(db, email)
      let password = text(input, 'password')
      if (!user) {
        if (type === 'magiclink') {
          // A magic link for an unknown address signs the person up (GoTrue does this).
          type = 'signup'
          password = randomBytes(48).toString('base64url')
        } else if (type !== 'signup' && type !== 'invite') {
          throw new AuthError(404, 'user_not_found', 'User with this email not found')
        }
      }
      let token = hashed
      if (type === 'magiclink' || type === 'recovery') {
        await storeOneTimeToken(db, (user as UserRow).id, 'recovery', hashed, email)
      } else if (type === 'signup' || type === 'invite') {
        if (user?.email_confirmed_at) throw emailExists()
        if (!user) {
          if (type === 'signup') {
            if (password === '') throw validation('Signup requires a valid password')
            checkPasswordStrength(auth.config, password)
          }
          user = await savingUser('Database error saving new user', () =>
            insertUser(db, {
              email,
              password: type === 'signup' ? password : undefined,
              userMetadata: data,
              confirmed: false,
              // Unlike /signup, GoTrue keeps the given data as user_metadata here.
              invited: type === 'invite',
            }),
          )
        } else if (type === 'signup') {
          await db.query('update auth.users set raw_user_meta_data = $2 where id = $1', [
            user.id,
            mergeMetadata(user.raw_user_meta_data, data),
          ])
        }
        await storeOneTimeToken(db, user.id, 'confirmation', hashed, email)
        if (type === 'invite') {
          await db.query('update auth.users set invited_at = now() where id = $1', [user.id])
        }
      } else {
        token = await emailChangeLink(
          auth,
          db,
          user as UserRow,
          type,
          text(input, 'new_email'),
          otp,
          hashed,
        )
      }
      const found = (await findUserById(db, (user as UserRow).id)) as UserRow
      return { user: found, type, token }
    })
    const verifyType = result.type.startsWith('email_change') ? 'email_change' : result.type
    return c.json({
      ...userJson(result.user),
      action_link: verifyLink(auth, result.token, verifyType, referrer),
      email_otp: otp,
      hashed_token: hashed,
      verification_type: result.type,
      redirect_to: referrer,
    })
  })
  return app
}

/**
 * A pending email change with a link for the current address (`email_change_current`, only
 * with `double_confirm_changes`) or for the new one (`email_change_new`). Returns the link token.
 */
async function emailChangeLink(
  auth: AuthContext,
  db: Db,
  user: UserRow,
  type: 'email_change_current' | 'email_change_new',
  rawNewEmail: string,
  otp: string,
  hashed: string,
): Promise<string> {
  if (type === 'email_change_current' && !auth.config.email.double_confirm_changes) {
    throw validation('Enable secure email change to generate link for current email')
  }
  const newEmail = validateEmail(rawNewEmail)
  const taken = await findUserByEmail(db, newEmail)
  if (taken && taken.id !== user.id) throw emailExists()
  await db.query(
    `update auth.users set email_change = $2, email_change_confirm_status = 0, email_change_sent_at = now()
     where id = $1`,
    [user.id, newEmail],
  )
  if (type === 'email_change_current') {
    await storeOneTimeToken(db, user.id, 'email_change_current', hashed, String(user.email))
    return hashed
  }
  // GoTrue hashes the new address for this token but still answers hashed_token for the old one.
  const token = tokenHash(newEmail, otp)
  await storeOneTimeToken(db, user.id, 'email_change_new', token, newEmail)
  return token
}
