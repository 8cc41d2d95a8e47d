import { createHash, randomInt } from 'node:crypto'
import bcrypt from 'bcryptjs'
import type pg from 'pg'
import type { UserRow } from '#src/auth/user-json.ts'

export type Db = pg.PoolClient

const USER_SELECT = `select u.*, coalesce((select json_agg(i order by i.created_at) from auth.identities i where i.user_id = u.id), '[]') as identities
  from auth.users u`

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    `${USER_SELECT} where lower(u.email) = lower($1) and not u.is_sso_user`,
    [email],
  )
  return rows[0]
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined
  const { rows } = await db.query<UserRow>(`${USER_SELECT} where u.id = $1`, [id])
  return rows[0]
}

export const hashPassword = (password: string) => bcrypt.hash(password, 10)
export const checkPassword = (password: string, hash: unknown) =>
  typeof hash === 'string' && hash.length > 0
    ? bcrypt.compare(password, hash)
    : Promise.resolve(false)

/** Inserts a user and its email identity the way GoTrue does (as supabase_auth_admin). */
export async function insertUser(
  db: Db,
  input: {
    email: string
    password?: string
    userMetadata: Record<string, unknown>
    appMetadata?: Record<string, unknown>
    confirmed: boolean
    invited?: boolean
  },
): Promise<UserRow> {
  const hash = input.password ? await hashPassword(input.password) : ''
  const appMetadata = { provider: 'email', providers: ['email'], ...input.appMetadata }
  const { rows } = await db.query<{ id: string }>(
    `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, invited_at,
       raw_app_meta_data, raw_user_meta_data, created_at, updated_at, confirmation_token, recovery_token,
       email_change_token_new, email_change, is_sso_user, is_anonymous)
     values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', lower($1), $2,
       case when $3 then now() end, case when $4 then now() end, $5, $6, now(), now(), '', '', '', '', false, false)
     returning id`,
    [input.email, hash, input.confirmed, input.invited ?? false, appMetadata, input.userMetadata],
  )
  const id = rows[0]?.id as string
  await db.query(
    `insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
     values ($1, $2, $3, 'email', now(), now(), now())`,
    [
      id,
      id,
      {
        sub: id,
        email: input.email.toLowerCase(),
        email_verified: input.confirmed,
        phone_verified: false,
      },
    ],
  )
  return (await findUserById(db, id)) as UserRow
}

/** Shallow-merges metadata; a null value deletes the key (GoTrue's UpdateUserMetaData). */
export function mergeMetadata(
  current: unknown,
  update: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...((current as Record<string, unknown>) ?? {}) }
  for (const [key, value] of Object.entries(update)) {
    if (value === null) delete merged[key]
    else merged[key] = value
  }
  return merged
}

/** An email OTP and its token hash: hex(sha224(email + otp)), as GoTrue computes it. */
export function newEmailOtp(email: string): { otp: string; hash: string } {
  const otp = String(randomInt(0, 1_000_000)).padStart(6, '0')
  return {
    otp,
    hash: createHash('sha224')
      .update(email.toLowerCase() + otp)
      .digest('hex'),
  }
}

export type OtpType = 'confirmation_token' | 'recovery_token'

export async function storeOneTimeToken(
  db: Db,
  userId: string,
  type: OtpType,
  hash: string,
  relatesTo: string,
) {
  await db.query(
    `insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to, created_at, updated_at)
     values (gen_random_uuid(), $1, $2, $3, $4, now(), now())
     on conflict (user_id, token_type) do update set token_hash = excluded.token_hash, relates_to = excluded.relates_to,
       created_at = now(), updated_at = now()`,
    [userId, type, hash, relatesTo],
  )
  const column = type === 'confirmation_token' ? 'confirmation' : 'recovery'
  await db.query(
    `update auth.users set ${column}_token = $2, ${column}_sent_at = now() where id = $1`,
    [userId, hash],
  )
}
