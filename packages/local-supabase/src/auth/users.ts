import { randomUUID } from 'node:crypto'
import bcrypt from 'bcryptjs'
import type pg from 'pg'
import { AuthError } from '#src/auth/errors.ts'
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

export async function findUserById(
  db: Db,
  id: string,
  options: { lock?: boolean } = {},
): Promise<UserRow | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined
  // Locking serializes verifications of one user, so a token is consumed once.
  const lock = options.lock ? ' for update of u' : ''
  const { rows } = await db.query<UserRow>(`${USER_SELECT} where u.id = $1${lock}`, [id])
  return rows[0]
}

/** A failing trigger on auth.users surfaces as GoTrue's generic 500 with this message. */
export async function savingUser<T>(message: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof AuthError) throw error
    throw new AuthError(500, 'unexpected_failure', message)
  }
}

export const hashPassword = (password: string) => bcrypt.hash(password, 10)
export const checkPassword = (password: string, hash: unknown) =>
  typeof hash === 'string' && hash.length > 0
    ? bcrypt.compare(password, hash)
    : Promise.resolve(false)

/**
 * Inserts a user and its email identity the way GoTrue does (as supabase_auth_admin). The insert
 * carries the given metadata (what triggers on auth.users see); a sign-up then replaces it with
 * the identity's data (GoTrue's RemoveUnconfirmedIdentities), data keys added to the claims.
 */
export async function insertUser(
  db: Db,
  input: {
    email: string
    password?: string
    userMetadata: Record<string, unknown>
    appMetadata?: Record<string, unknown>
    confirmed: boolean
    invited?: boolean
    /** Sign-up: user_metadata becomes the identity data (sub, email, *_verified + these keys). */
    signupData?: Record<string, unknown>
  },
): Promise<UserRow> {
  const id = randomUUID()
  const email = input.email.toLowerCase()
  const hash = input.password ? await hashPassword(input.password) : ''
  const appMetadata = { provider: 'email', providers: ['email'], ...input.appMetadata }
  await db.query(
    `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, invited_at,
       raw_app_meta_data, raw_user_meta_data, created_at, updated_at, confirmation_token, recovery_token,
       email_change_token_new, email_change, is_sso_user, is_anonymous)
     values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2, $3,
       case when $4 then now() end, case when $5 then now() end, $6, $7, now(), now(), '', '', '', '', false, false)`,
    [id, email, hash, input.confirmed, input.invited ?? false, appMetadata, input.userMetadata],
  )
  const identityData: Record<string, unknown> = {
    ...(input.signupData ?? {}),
    sub: id,
    email,
    email_verified: input.confirmed,
    phone_verified: false,
  }
  await db.query(
    `insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
     values ($1, $2, $3, 'email', now(), now(), now())`,
    [id, id, identityData],
  )
  if (input.signupData) {
    await db.query('update auth.users set raw_user_meta_data = $2 where id = $1', [
      id,
      identityData,
    ])
  }
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
