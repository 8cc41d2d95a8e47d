import { randomBytes } from 'node:crypto'
import type { Context } from 'hono'
import { Hono } from 'hono'
import { type AuthContext, type Json, object, text } from '#src/auth/auth-context.ts'
import { AuthError, emailExists, validation } from '#src/auth/errors.ts'
import { clearAllOneTimeTokens } from '#src/auth/one-time-tokens.ts'
import { checkPasswordStrength } from '#src/auth/password-strength.ts'
import { type UserRow, userJson } from '#src/auth/user-json.ts'
import {
  type Db,
  findUserByEmail,
  findUserById,
  hashPassword,
  insertUser,
  mergeMetadata,
  savingUser,
} from '#src/auth/users.ts'
import { validateEmail } from '#src/auth/validate-email.ts'
import { confirmUser } from '#src/auth/verification.ts'
import { parseDuration } from '#src/gateway/config.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** /admin/users: list, create, get, update, delete (GoTrue's internal/api/admin.go); admin only. */
export function adminUserRoutes(auth: AuthContext): Hono {
  const app = new Hono()

  app.get('/admin/users', async (c) => {
    const { page, perPage } = pagination(c)
    const filter = c.req.query('filter') ?? ''
    const direction = sortDirection(c)
    const { users, total } = await auth.tx(async (db) => {
      const where = `u.instance_id = '00000000-0000-0000-0000-000000000000' and u.aud = 'authenticated'
        and ($1 = '' or u.email like '%' || $1 || '%' or u.raw_user_meta_data ->> 'full_name' ilike '%' || $1 || '%')`
      const { rows } = await db.query<UserRow>(
        `select u.*, coalesce((select json_agg(i order by i.created_at) from auth.identities i where i.user_id = u.id), '[]') as identities
         from auth.users u where ${where} order by u.created_at ${direction}, u.id limit $2 offset $3`,
        [filter, perPage, (page - 1) * perPage],
      )
      const count = await db.query<{ n: string }>(
        `select count(*) as n from auth.users u where ${where}`,
        [filter],
      )
      return { users: rows, total: Number(count.rows[0]?.n ?? 0) }
    })
    return c.json({ users: users.map(userJson), aud: 'authenticated' }, 200, {
      'x-total-count': String(total),
      link: paginationLinks(c, page, perPage, total),
    })
  })

  app.post('/admin/users', async (c) => {
    const input = await auth.body(c)
    const raw = text(input, 'email')
    if (raw === '' && text(input, 'phone') === '') {
      throw validation('Cannot create a user without either an email or phone')
    }
    if (raw === '') {
      throw new AuthError(400, 'phone_provider_disabled', 'Phone logins are disabled')
    }
    const email = validateEmail(raw)
    const password = text(input, 'password')
    if (password !== '' && text(input, 'password_hash') !== '') {
      throw validation('Only a password or a password hash should be provided')
    }
    if (password !== '') checkPasswordStrength(auth.config, password)
    const ban = banDuration(text(input, 'ban_duration'))
    const user = await auth.tx(async (db) => {
      if (await findUserByEmail(db, email)) throw emailExists()
      const created = await savingUser('Database error creating new user', async () => {
        const inserted = await insertUser(db, {
          email,
          password: password || randomBytes(48).toString('base64url'),
          userMetadata: object(input, 'user_metadata') ?? {},
          appMetadata: object(input, 'app_metadata') ?? {},
          confirmed: false,
        })
        if (input.email_confirm === true) {
          await confirmUser(db, inserted.id, 'Database error creating new user')
        }
        if (ban !== undefined) await applyBan(db, inserted.id, ban)
        return inserted
      })
      return (await findUserById(db, created.id)) as UserRow
    })
    return c.json(userJson(user))
  })

  app.get('/admin/users/:id', async (c) => {
    const id = userId(c)
    const user = await auth.tx((db) => findUserById(db, id))
    if (!user) throw new AuthError(404, 'user_not_found', 'User not found')
    return c.json(userJson(user))
  })

  app.put('/admin/users/:id', async (c) => {
    const id = userId(c)
    const input = await auth.body(c)
    const raw = text(input, 'email')
    const email = raw === '' ? '' : validateEmail(raw)
    const ban = banDuration(text(input, 'ban_duration'))
    const password =
      input.password === undefined || input.password === null ? undefined : text(input, 'password')
    if (password !== undefined) checkPasswordStrength(auth.config, password)
    const user = await auth.tx(async (db) => {
      const user = await findUserById(db, id)
      if (!user) throw new AuthError(404, 'user_not_found', 'User not found')
      await savingUser('Error updating user', async () => {
        if (input.email_confirm === true) await confirmUser(db, user.id, 'Error updating user')
        if (password !== undefined) await setPasswordSignedOut(db, user.id, password)
        if (email !== '' && email !== user.email) {
          const taken = await findUserByEmail(db, email)
          if (taken && taken.id !== user.id) throw emailExists()
          // An admin changes the address directly, without confirmation mails.
          await db.query('update auth.users set email = $2, updated_at = now() where id = $1', [
            user.id,
            email,
          ])
          await db.query(
            `update auth.identities set identity_data = identity_data || jsonb_build_object('email', $2::text, 'email_verified', $3::boolean)
             where user_id = $1 and provider = 'email'`,
            [user.id, email, input.email_confirm === true],
          )
        }
        const metadata = (column: string, update: Json | undefined, current: unknown) =>
          update
            ? db.query(`update auth.users set ${column} = $2, updated_at = now() where id = $1`, [
                user.id,
                mergeMetadata(current, update),
              ])
            : undefined
        await metadata('raw_app_meta_data', object(input, 'app_metadata'), user.raw_app_meta_data)
        await metadata(
          'raw_user_meta_data',
          object(input, 'user_metadata'),
          user.raw_user_meta_data,
        )
        if (ban !== undefined) await applyBan(db, user.id, ban)
      })
      return (await findUserById(db, user.id)) as UserRow
    })
    return c.json(userJson(user))
  })

  app.delete('/admin/users/:id', async (c) => {
    const id = userId(c)
    await auth.tx(async (db) => {
      const found = await findUserById(db, id)
      if (!found) throw new AuthError(404, 'user_not_found', 'User not found')
      await savingUser('Database error deleting user', () =>
        db.query('delete from auth.users where id = $1', [found.id]),
      )
    })
    return c.json({})
  })

  return app
}

function userId(c: Context): string {
  const id = c.req.param('id') ?? ''
  if (!UUID.test(id)) throw new AuthError(404, 'validation_failed', 'user_id must be an UUID')
  return id
}

/** GoTrue's paginate: `page` and `per_page` must be unsigned integers (strconv.ParseUint). */
function pagination(c: Context): { page: number; perPage: number } {
  const parse = (name: string, fallback: number) => {
    const value = c.req.query(name)
    if (value === undefined || value === '') return fallback
    if (!/^\d+$/.test(value)) {
      throw validation(
        `Bad Pagination Parameters: strconv.ParseUint: parsing ${JSON.stringify(value)}: invalid syntax`,
      )
    }
    if (BigInt(value) > 18446744073709551615n) {
      throw validation(
        `Bad Pagination Parameters: strconv.ParseUint: parsing ${JSON.stringify(value)}: value out of range`,
      )
    }
    return Number(value)
  }
  const page = parse('page', 1)
  const perPage = parse('per_page', 50)
  // GoTrue's paginator reads 0 as its defaults (page 1, 20 per page).
  return {
    page: Math.min(Math.max(page, 1), Number.MAX_SAFE_INTEGER),
    perPage: perPage < 1 ? 20 : Math.min(perPage, 1_000_000),
  }
}

function sortDirection(c: Context): 'asc' | 'desc' {
  const sort = c.req.query('sort')
  if (!sort) return 'desc'
  const [field, dir = 'desc'] = sort.split(' ', 2) as [string, string?]
  if (field !== 'created_at') throw validation(`Bad Sort Parameters: bad field for sort '${field}'`)
  if (!['asc', 'desc'].includes(dir.toLowerCase())) {
    throw validation(
      `Bad Sort Parameters: bad direction for sort '${dir}', only 'asc' and 'desc' allowed`,
    )
  }
  return dir.toLowerCase() as 'asc' | 'desc'
}

/** GoTrue's addPaginationHeaders: `next` while pages remain, always `last`. */
function paginationLinks(c: Context, page: number, perPage: number, total: number): string {
  const pages = Math.ceil(total / perPage)
  const url = new URL(c.req.url)
  const link = (n: number) => {
    const query = new URLSearchParams(url.search)
    query.set('page', String(n))
    const sorted = new URLSearchParams([...query.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))
    return `</admin/users?${sorted.toString()}>`
  }
  const links = [`${link(pages)}; rel="last"`]
  if (pages > page) links.unshift(`${link(page + 1)}; rel="next"`)
  return links.join(', ')
}

/** `ban_duration`: a Go duration, or "none" to lift a ban. */
function banDuration(value: string): number | undefined {
  if (value === '') return undefined
  if (value === 'none') return 0
  const ms = parseDuration(value)
  if (Number.isNaN(ms)) {
    throw validation(
      `invalid format for ban duration: time: invalid duration ${JSON.stringify(value)}`,
    )
  }
  return ms
}

async function applyBan(db: Db, userId: string, ms: number) {
  await db.query(
    `update auth.users set banned_until = case when $2::float8 = 0 then null else now() + make_interval(secs => $2::float8 / 1000) end
     where id = $1`,
    [userId, ms],
  )
}

/** GoTrue's UpdatePassword without a session: pending tokens voided, every session ended. */
async function setPasswordSignedOut(db: Db, userId: string, password: string) {
  await db.query(
    `update auth.users set encrypted_password = $2, confirmation_token = '', confirmation_sent_at = null,
       recovery_token = '', recovery_sent_at = null, email_change_token_current = '', email_change_token_new = '',
       email_change_sent_at = null, reauthentication_token = '', reauthentication_sent_at = null, updated_at = now()
     where id = $1`,
    [userId, await hashPassword(password)],
  )
  await clearAllOneTimeTokens(db, userId)
  await db.query('delete from auth.sessions where user_id = $1', [userId])
}
