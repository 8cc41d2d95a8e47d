import { createHash, randomInt } from 'node:crypto'
import type { Db } from '#src/auth/users.ts'

/** GoTrue's one-time token kinds: the auth.one_time_tokens type and the auth.users columns. */
export const TOKEN_KINDS = {
  confirmation: {
    type: 'confirmation_token',
    column: 'confirmation_token',
    sentAt: 'confirmation_sent_at',
  },
  recovery: { type: 'recovery_token', column: 'recovery_token', sentAt: 'recovery_sent_at' },
  email_change_new: {
    type: 'email_change_token_new',
    column: 'email_change_token_new',
    sentAt: 'email_change_sent_at',
  },
  email_change_current: {
    type: 'email_change_token_current',
    column: 'email_change_token_current',
    sentAt: 'email_change_sent_at',
  },
  reauthentication: {
    type: 'reauthentication_token',
    column: 'reauthentication_token',
    sentAt: 'reauthentication_sent_at',
  },
} as const
export type TokenKind = keyof typeof TOKEN_KINDS

/** A numeric OTP of the configured length (GoTrue's crypto.GenerateOtp). */
export function generateOtp(length: number): string {
  let otp = ''
  for (let i = 0; i < length; i++) otp += String(randomInt(0, 10))
  return otp
}

/** hex(sha224(email + otp)): what GoTrue stores and mails as the token hash. */
export const tokenHash = (emailOrPhone: string, otp: string) =>
  createHash('sha224')
    .update(emailOrPhone.toLowerCase() + otp)
    .digest('hex')

/**
 * Stores a user's token of one kind, replacing the previous one (GoTrue's CreateOneTimeToken),
 * and mirrors it on the auth.users column with its sent_at time, as GoTrue does.
 */
export async function storeOneTimeToken(
  db: Db,
  userId: string,
  kind: TokenKind,
  hash: string,
  relatesTo: string,
): Promise<void> {
  const { type, column, sentAt } = TOKEN_KINDS[kind]
  await db.query(
    `insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to, created_at, updated_at)
     values (gen_random_uuid(), $1, $2, $3, lower($4), now(), now())
     on conflict (user_id, token_type) do update set token_hash = excluded.token_hash,
       relates_to = excluded.relates_to, created_at = now(), updated_at = now()`,
    [userId, type, hash, relatesTo],
  )
  await db.query(`update auth.users set ${column} = $2, ${sentAt} = now() where id = $1`, [
    userId,
    hash,
  ])
}

/** Forgets one kind of token of a user (GoTrue's ClearOneTimeTokenForUser + the column). */
export async function clearOneTimeToken(db: Db, userId: string, kind: TokenKind): Promise<void> {
  const { type, column } = TOKEN_KINDS[kind]
  await db.query('delete from auth.one_time_tokens where user_id = $1 and token_type = $2', [
    userId,
    type,
  ])
  await db.query(`update auth.users set ${column} = '' where id = $1`, [userId])
}

/** Forgets every token of a user (GoTrue's ClearAllOneTimeTokensForUser). */
export async function clearAllOneTimeTokens(db: Db, userId: string): Promise<void> {
  await db.query('delete from auth.one_time_tokens where user_id = $1', [userId])
}

/**
 * The user holding a token hash of one of these kinds (GoTrue's FindOneTimeToken). The row is
 * locked, so of concurrent verifications of one token only the first finds it.
 */
export async function findTokenOwner(
  db: Db,
  hash: string,
  kinds: TokenKind[],
): Promise<{ userId: string; kind: TokenKind } | undefined> {
  const types = kinds.map((k) => TOKEN_KINDS[k].type)
  const { rows } = await db.query<{ user_id: string; token_type: string }>(
    `select user_id, token_type::text from auth.one_time_tokens
     where token_hash = $1 and token_type = any ($2::auth.one_time_token_type[]) limit 1 for update`,
    [hash, types],
  )
  const row = rows[0]
  if (!row) return undefined
  const kind = kinds.find((k) => TOKEN_KINDS[k].type === row.token_type) as TokenKind
  return { userId: row.user_id, kind }
}
