import { randomBytes } from 'node:crypto'
import type { AuthContext } from '#src/auth/auth-context.ts'
import { AuthError } from '#src/auth/errors.ts'
import {
  clearAllOneTimeTokens,
  clearOneTimeToken,
  findTokenOwner,
  type TokenKind,
  tokenHash,
} from '#src/auth/one-time-tokens.ts'
import { PKCE_PREFIX } from '#src/auth/pkce.ts'
import type { UserRow } from '#src/auth/user-json.ts'
import { type Db, findUserById, hashPassword, savingUser } from '#src/auth/users.ts'

// GoTrue's email verification (auth:internal/api/verify.go): find the user by the token, check
// expiry, then confirm the sign-up, accept the recovery / magic link, or apply the email change.

export const EMAIL_VERIFY_TYPES = [
  'signup',
  'invite',
  'recovery',
  'magiclink',
  'email_change',
  'email',
] as const
export type EmailVerifyType = (typeof EMAIL_VERIFY_TYPES)[number]
export const isEmailVerifyType = (type: string): type is EmailVerifyType =>
  (EMAIL_VERIFY_TYPES as readonly string[]).includes(type)

const KINDS: Record<EmailVerifyType, TokenKind[]> = {
  signup: ['confirmation'],
  invite: ['confirmation'],
  recovery: ['recovery'],
  magiclink: ['recovery'],
  email: ['confirmation', 'recovery'],
  email_change: ['email_change_current', 'email_change_new'],
}

/** GoTrue's message once the first of two email change links is followed. */
export const SINGLE_CONFIRMATION_ACCEPTED =
  'Confirmation link accepted. Please proceed to confirm link sent to the other email'

export type Verified = {
  /** The verified user, or none when only the first of two email change links was followed. */
  user: UserRow | null
  /** The resolved type (`email` becomes `signup` or `magiclink`). */
  type: EmailVerifyType
}

const expiredLink = () => new AuthError(403, 'otp_expired', 'Email link is invalid or has expired')
const expiredToken = () => new AuthError(403, 'otp_expired', 'Token has expired or is invalid')

/** The user of a token hash (link or `verifyOtp({ token_hash })`), locked, not banned, not expired. */
export async function findByTokenHash(
  auth: AuthContext,
  db: Db,
  type: EmailVerifyType,
  hash: string,
): Promise<{ user: UserRow; type: EmailVerifyType; kind: TokenKind }> {
  const owner = await findTokenOwner(db, hash, KINDS[type])
  const user = owner && (await findUserById(db, owner.userId, { lock: true }))
  if (!owner || !user) throw expiredLink()
  checkUsable(auth, user, owner.kind, expiredLink)
  const resolved = type === 'email' ? (owner.kind === 'recovery' ? 'magiclink' : 'signup') : type
  return { user, type: resolved, kind: owner.kind }
}

/**
 * The user of an emailed code (`verifyOtp({ email, token })`): the hash of address + code,
 * also in its `pkce_` form (GoTrue's isOtpValid). For email changes the address is the one
 * the code was sent to (current or new).
 */
export async function findByEmailOtp(
  auth: AuthContext,
  db: Db,
  type: EmailVerifyType,
  email: string,
  otp: string,
): Promise<{ user: UserRow; type: EmailVerifyType; kind: TokenKind; hash: string }> {
  const kinds =
    type === 'email_change' && !auth.config.email.double_confirm_changes
      ? (['email_change_new'] as TokenKind[])
      : KINDS[type]
  const hash = tokenHash(email, otp)
  for (const candidate of [hash, `${PKCE_PREFIX}${hash}`]) {
    const owner = await findTokenOwner(db, candidate, kinds)
    const user = owner && (await findUserById(db, owner.userId, { lock: true }))
    if (!owner || !user) continue
    const address = owner.kind === 'email_change_new' ? user.email_change : user.email
    if (String(address ?? '').toLowerCase() !== email.toLowerCase()) continue
    checkUsable(auth, user, owner.kind, expiredToken)
    const resolved = type === 'email' ? (owner.kind === 'recovery' ? 'magiclink' : 'signup') : type
    return { user, type: resolved, kind: owner.kind, hash: candidate }
  }
  throw expiredToken()
}

function checkUsable(auth: AuthContext, user: UserRow, kind: TokenKind, expired: () => AuthError) {
  if (user.banned_until && new Date(user.banned_until as string) > new Date()) {
    throw new AuthError(403, 'user_banned', 'User is banned')
  }
  const sentAt =
    kind === 'confirmation'
      ? user.confirmation_sent_at
      : kind === 'recovery'
        ? user.recovery_sent_at
        : user.email_change_sent_at
  const expiresAt = sentAt
    ? new Date(sentAt as string).getTime() + auth.config.email.otp_expiry * 1000
    : 0
  if (Date.now() > expiresAt) throw expired()
}

/** Applies a verified token to its user (GoTrue's signupVerify / recoverVerify / emailChangeVerify). */
export async function applyVerification(
  auth: AuthContext,
  db: Db,
  found: { user: UserRow; type: EmailVerifyType; kind: TokenKind },
): Promise<Verified> {
  const { user, type } = found
  if (type === 'signup' || type === 'invite') {
    if (!user.encrypted_password && user.invited_at) {
      // An invited user gets a random password until the app asks for one (GoTrue does this).
      await db.query('update auth.users set encrypted_password = $2 where id = $1', [
        user.id,
        await hashPassword(randomBytes(48).toString('base64url')),
      ])
    }
    await confirmUser(db, user.id, 'Error confirming user')
  } else if (type === 'recovery' || type === 'magiclink') {
    await savingUser('Database error updating user', async () => {
      await db.query(`update auth.users set recovery_token = '' where id = $1`, [user.id])
      await clearAllOneTimeTokens(db, user.id)
      if (!user.email_confirmed_at) await confirmUser(db, user.id)
    })
  } else if (type === 'email_change') {
    const pendingSecond =
      !autoconfirm(auth) &&
      auth.config.email.double_confirm_changes &&
      Number(user.email_change_confirm_status ?? 0) === 0 &&
      Boolean(user.email)
    if (pendingSecond) {
      // The first of two links: remember it, wait for the other address's link.
      await clearOneTimeToken(db, user.id, found.kind)
      await db.query('update auth.users set email_change_confirm_status = 1 where id = $1', [
        user.id,
      ])
      return { user: null, type }
    }
    await confirmEmailChange(db, user)
  }
  await updateProviders(db, user.id)
  return { user: (await findUserById(db, user.id)) as UserRow, type }
}

const autoconfirm = (auth: AuthContext) => !auth.config.email.enable_confirmations

/** GoTrue's User.Confirm, plus the email identity marked verified (signupVerify). */
export async function confirmUser(
  db: Db,
  userId: string,
  failure = 'Database error updating user',
) {
  await savingUser(failure, async () => {
    await db.query(
      `update auth.users set email_confirmed_at = now(), confirmation_token = '',
         raw_user_meta_data = coalesce(raw_user_meta_data, '{}') || '{"email_verified": true}', updated_at = now()
       where id = $1`,
      [userId],
    )
    await db.query(
      `update auth.identities i set identity_data = i.identity_data || '{"email_verified": true}', updated_at = now()
       from auth.users u where u.id = $1 and i.user_id = u.id and i.provider = 'email' and i.email = lower(u.email)`,
      [userId],
    )
    await clearAllOneTimeTokens(db, userId)
  })
}

/** GoTrue's ConfirmEmailChange: only now does auth.users.email take the pending address. */
async function confirmEmailChange(db: Db, user: UserRow) {
  const email = String(user.email_change ?? '')
  await savingUser('Error confirm email', async () => {
    await db.query(
      `update auth.users set email = $2, email_change = '', email_change_token_current = '',
         email_change_token_new = '', email_change_confirm_status = 0, updated_at = now()
       where id = $1`,
      [user.id, email],
    )
    await clearAllOneTimeTokens(db, user.id)
    if (!user.email_confirmed_at) await confirmUser(db, user.id, 'Error confirm email')
    await db.query(
      `update auth.identities set identity_data = identity_data || jsonb_build_object('email', $2::text, 'email_verified', true),
         updated_at = now()
       where user_id = $1 and provider = 'email'`,
      [user.id, email],
    )
  })
}

/**
 * GoTrue's UpdateAppMetaDataProviders: app_metadata lists the providers of the user's
 * identities (users written by SQL without an identity keep theirs).
 */
async function updateProviders(db: Db, userId: string) {
  await db.query(
    `with p as (select jsonb_agg(distinct i.provider) as providers from auth.identities i where i.user_id = $1)
     update auth.users u set raw_app_meta_data = coalesce(u.raw_app_meta_data, '{}')
       || jsonb_build_object('providers', p.providers, 'provider', p.providers -> 0)
     from p where u.id = $1 and p.providers is not null
       and u.raw_app_meta_data -> 'providers' is distinct from p.providers`,
    [userId],
  )
}
