import type { Context } from 'hono'
import { Hono } from 'hono'
import {
  AuthError,
  authErrorResponse,
  badJwt,
  invalidCredentials,
  notAdmin,
  validation,
} from '#src/auth/errors.ts'
import { issueSession } from '#src/auth/tokens.ts'
import { type UserRow, userJson } from '#src/auth/user-json.ts'
import {
  checkPassword,
  type Db,
  findUserByEmail,
  findUserById,
  hashPassword,
  insertUser,
  mergeMetadata,
  newEmailOtp,
  storeOneTimeToken,
} from '#src/auth/users.ts'
import { bearerToken, describeJwtFailure } from '#src/gateway/caller.ts'
import type { GatewayContext } from '#src/gateway/context.ts'
import { authDatabaseFailure } from '#src/gateway/database-failure.ts'

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/
type Json = Record<string, unknown>

/** GoTrue's API (the subset supabase-js uses), on the auth schema, as supabase_auth_admin. */
export function createAuthRoutes(ctx: GatewayContext): Hono {
  const app = new Hono()

  const tx = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    const db = await ctx.pool('supabase_auth_admin').connect()
    try {
      await db.query('begin')
      const result = await fn(db)
      await db.query('commit')
      return result
    } catch (error) {
      await db.query('rollback').catch(() => undefined)
      throw error
    } finally {
      db.release()
    }
  }

  const body = async (c: Context): Promise<Json> => {
    const text = await c.req.text()
    if (!text) return {}
    try {
      const parsed = JSON.parse(text)
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Json
    } catch {}
    throw new AuthError(400, 'bad_json', 'Could not parse request body as JSON')
  }

  const claimsOf = async (c: Context) => {
    const token = bearerToken(c.req.raw.headers)
    if (!token || !c.req.header('authorization')) {
      throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token')
    }
    try {
      return (await ctx.signer.verify(token)) as Json
    } catch (error) {
      throw badJwt(describeJwtFailure(error).gotrueMessage)
    }
  }

  const currentUser = async (c: Context, db: Db) => {
    const claims = await claimsOf(c)
    if (typeof claims.sub !== 'string') throw badJwt('invalid claim: missing sub claim')
    if (typeof claims.session_id === 'string') {
      const { rows } = await db.query('select 1 from auth.sessions where id = $1', [
        claims.session_id,
      ])
      if (rows.length === 0) {
        throw new AuthError(
          403,
          'session_not_found',
          'Session from session_id claim in JWT does not exist',
        )
      }
    }
    const user = await findUserById(db, claims.sub)
    if (!user)
      throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist')
    return { user, claims }
  }

  const requireAdmin = async (c: Context) => {
    const claims = await claimsOf(c)
    if (claims.role !== 'service_role') throw notAdmin()
  }

  const checkEmail = (email: unknown): string => {
    if (typeof email !== 'string' || !EMAIL.test(email) || email.length > 255) {
      throw validation('Unable to validate email address: invalid format')
    }
    return email.toLowerCase()
  }

  const checkPasswordStrength = (password: unknown) => {
    if (typeof password !== 'string' || password.length < ctx.config.auth.minimum_password_length) {
      throw new AuthError(
        422,
        'weak_password',
        `Password should be at least ${ctx.config.auth.minimum_password_length} characters.`,
      )
    }
  }

  // A failing trigger on auth.users surfaces as GoTrue's generic 500.
  const savingUser = async <T>(db: Db, message: string, fn: () => Promise<T>): Promise<T> => {
    await db.query('savepoint save_user')
    try {
      return await fn()
    } catch (error) {
      if (error instanceof AuthError) throw error
      throw new AuthError(500, 'unexpected_failure', message)
    }
  }

  const sendLink = async (
    user: UserRow,
    type: 'signup' | 'invite' | 'recovery' | 'magiclink',
    redirectTo?: string,
  ) => {
    const hashed = await tx(async (db) => {
      const { otp, hash } = newEmailOtp(user.email as string)
      await storeOneTimeToken(
        db,
        user.id,
        type === 'recovery' || type === 'magiclink' ? 'recovery_token' : 'confirmation_token',
        hash,
        user.email as string,
      )
      return { otp, hash }
    })
    const link = actionLink(hashed.hash, type, redirectTo)
    const subjects = {
      signup: 'Confirm your signup',
      invite: 'You have been invited',
      recovery: 'Reset your password',
      magiclink: 'Your magic link',
    }
    await ctx.mailer.send({
      to: user.email as string,
      subject: subjects[type],
      text: `${subjects[type]}\n\nFollow this link: ${link}\n\nOr enter the code: ${hashed.otp}\n`,
    })
    return { ...hashed, link }
  }

  const actionLink = (hash: string, type: string, redirectTo?: string) =>
    `${ctx.apiUrl}/auth/v1/verify?token=${hash}&type=${type}&redirect_to=${encodeURIComponent(redirectTo ?? ctx.config.auth.site_url)}`

  app.onError((error, c) => {
    if (error instanceof AuthError) return authErrorResponse(c, error)
    const down = authDatabaseFailure(error)
    if (down) return authErrorResponse(c, new AuthError(down.status, down.code, down.message))
    console.error('[auth]', error)
    return authErrorResponse(
      c,
      new AuthError(
        500,
        'unexpected_failure',
        'Unexpected failure, please check server logs for more information',
      ),
    )
  })

  app.get('/health', (c) =>
    c.json({ version: 'local', name: 'GoTrue', description: 'Tenantbase local Auth' }),
  )
  app.get('/settings', (c) =>
    c.json({
      external: { email: true, phone: false },
      disable_signup: !ctx.config.auth.enable_signup,
      mailer_autoconfirm: !ctx.config.auth.email.enable_confirmations,
      phone_autoconfirm: false,
      sms_provider: '',
      saml_enabled: false,
    }),
  )
  app.get('/.well-known/jwks.json', (c) =>
    c.json(ctx.signer.jwks, 200, { 'cache-control': 'public, max-age=600' }),
  )

  app.post('/signup', async (c) => {
    const input = await body(c)
    if (!ctx.config.auth.enable_signup || !ctx.config.auth.email.enable_signup) {
      throw new AuthError(422, 'signup_disabled', 'Signups not allowed for this instance')
    }
    const email = checkEmail(input.email)
    checkPasswordStrength(input.password)
    const autoconfirm = !ctx.config.auth.email.enable_confirmations
    const data = (input.data && typeof input.data === 'object' ? input.data : {}) as Json
    const result = await tx(async (db) => {
      const existing = await findUserByEmail(db, email)
      if (existing?.email_confirmed_at) {
        if (autoconfirm) throw new AuthError(422, 'user_already_exists', 'User already registered')
        return {
          user: { ...existing, id: crypto.randomUUID(), identities: [] } as UserRow,
          session: null,
        }
      }
      const user =
        existing ??
        (await savingUser(db, 'Database error saving new user', () =>
          insertUser(db, {
            email,
            password: input.password as string,
            userMetadata: { email, email_verified: autoconfirm, phone_verified: false, ...data },
            confirmed: autoconfirm,
          }),
        ))
      if (!autoconfirm) return { user, session: null }
      return { user, session: await issueSession(ctx, db, user, 'password') }
    })
    if (result.session) return c.json(result.session)
    if (!result.user.email_confirmed_at && result.user.identities?.length)
      await sendLink(result.user, 'signup')
    return c.json(userJson(result.user))
  })

  app.post('/token', async (c) => {
    const grant = c.req.query('grant_type')
    const input = await body(c)
    if (grant === 'password') {
      if (typeof input.email !== 'string' || typeof input.password !== 'string')
        throw invalidCredentials()
      return c.json(
        await tx(async (db) => {
          const user = await findUserByEmail(db, input.email as string)
          if (!user || !(await checkPassword(input.password as string, user.encrypted_password)))
            throw invalidCredentials()
          if (!user.email_confirmed_at)
            throw new AuthError(400, 'email_not_confirmed', 'Email not confirmed')
          if (user.banned_until && new Date(user.banned_until as string) > new Date()) {
            throw new AuthError(400, 'user_banned', 'User is banned')
          }
          return issueSession(ctx, db, user, 'password')
        }),
      )
    }
    if (grant === 'refresh_token') {
      if (typeof input.refresh_token !== 'string' || !input.refresh_token) {
        return c.json(
          { error: 'invalid_request', error_description: 'refresh_token required' },
          400,
        )
      }
      return c.json(await tx((db) => refresh(db, input.refresh_token as string)))
    }
    throw new AuthError(400, 'validation_failed', 'unsupported_grant_type')
  })

  const refresh = async (db: Db, token: string) => {
    const { rows } = await db.query(
      `select rt.*, s.id as live_session from auth.refresh_tokens rt
       left join auth.sessions s on s.id = rt.session_id where rt.token = $1 for update of rt`,
      [token],
    )
    const row = rows[0]
    if (!row?.live_session) {
      throw new AuthError(
        400,
        'refresh_token_not_found',
        'Invalid Refresh Token: Refresh Token Not Found',
      )
    }
    if (row.revoked) {
      const reuseWindow = ctx.config.auth.refresh_token_reuse_interval * 1000
      const { rows: children } = await db.query(
        `select token from auth.refresh_tokens where parent = $1 and not revoked order by id desc limit 1`,
        [token],
      )
      if (!(Date.now() - new Date(row.updated_at).getTime() < reuseWindow && children[0])) {
        // Reuse of a rotated token: the whole session is revoked (GoTrue's reuse detection).
        await db.query('update auth.refresh_tokens set revoked = true where session_id = $1', [
          row.session_id,
        ])
        throw new AuthError(
          400,
          'refresh_token_already_used',
          'Invalid Refresh Token: Already Used',
        )
      }
    }
    await db.query(
      'update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1',
      [row.id],
    )
    const user = await findUserById(db, row.user_id)
    if (!user)
      throw new AuthError(
        400,
        'refresh_token_not_found',
        'Invalid Refresh Token: Refresh Token Not Found',
      )
    const { rows: amrRows } = await db.query(
      `select coalesce(json_agg(json_build_object('method', authentication_method, 'timestamp', extract(epoch from created_at)::bigint)
         order by created_at desc), '[]') as amr from auth.mfa_amr_claims where session_id = $1`,
      [row.session_id],
    )
    const amr = amrRows[0]?.amr?.length
      ? amrRows[0].amr
      : [{ method: 'password', timestamp: Math.floor(Date.now() / 1000) }]
    return issueSession(ctx, db, user, 'token_refresh', {
      sessionId: row.session_id,
      parent: token,
      amr,
    })
  }

  app.get('/user', async (c) =>
    c.json(userJson(await tx(async (db) => (await currentUser(c, db)).user))),
  )

  app.put('/user', async (c) => {
    const input = await body(c)
    return c.json(
      userJson(
        await tx(async (db) => {
          const { user } = await currentUser(c, db)
          if (input.app_metadata !== undefined) throw notAdmin()
          if (input.password !== undefined) {
            checkPasswordStrength(input.password)
            await db.query(
              'update auth.users set encrypted_password = $2, updated_at = now() where id = $1',
              [user.id, await hashPassword(input.password as string)],
            )
          }
          if (input.data && typeof input.data === 'object') {
            await db.query(
              'update auth.users set raw_user_meta_data = $2, updated_at = now() where id = $1',
              [user.id, mergeMetadata(user.raw_user_meta_data, input.data as Json)],
            )
          }
          if (typeof input.email === 'string' && input.email.toLowerCase() !== user.email) {
            const email = checkEmail(input.email)
            if (await findUserByEmail(db, email)) {
              throw new AuthError(
                422,
                'email_exists',
                'A user with this email address has already been registered',
              )
            }
            await savingUser(db, 'Database error updating user', () =>
              db.query('update auth.users set email = $2, updated_at = now() where id = $1', [
                user.id,
                email,
              ]),
            )
          }
          return (await findUserById(db, user.id)) as UserRow
        }),
      ),
    )
  })

  app.post('/logout', async (c) => {
    const scope = c.req.query('scope') ?? 'global'
    await tx(async (db) => {
      const { user, claims } = await currentUser(c, db)
      if (scope === 'local')
        await db.query('delete from auth.sessions where id = $1', [claims.session_id])
      else if (scope === 'others') {
        await db.query('delete from auth.sessions where user_id = $1 and id <> $2', [
          user.id,
          claims.session_id,
        ])
      } else await db.query('delete from auth.sessions where user_id = $1', [user.id])
    })
    return c.body(null, 204)
  })

  app.post('/recover', async (c) => {
    const input = await body(c)
    const email = checkEmail(input.email)
    const user = await tx((db) => findUserByEmail(db, email))
    if (user) await sendLink(user, 'recovery', c.req.query('redirect_to'))
    return c.json({})
  })

  app.post('/verify', async (c) => {
    const input = await body(c)
    const type = input.type as string
    if (!['signup', 'invite', 'recovery', 'magiclink', 'email'].includes(type)) {
      throw validation('Verify requires a verification type')
    }
    let hash: string
    if (typeof input.token_hash === 'string') {
      if (input.email || input.phone)
        throw validation('Only the token_hash and type should be provided')
      hash = input.token_hash
    } else if (typeof input.token === 'string' && typeof input.email === 'string') {
      const { createHash } = await import('node:crypto')
      hash = createHash('sha224')
        .update(input.email.toLowerCase() + input.token)
        .digest('hex')
    } else {
      throw validation('Verify requires either a token or a token hash')
    }
    const tokenTypes =
      type === 'signup' || type === 'invite'
        ? ['confirmation_token']
        : type === 'email'
          ? ['confirmation_token', 'recovery_token']
          : ['recovery_token']
    return c.json(
      await tx(async (db) => {
        const { rows } = await db.query(
          `delete from auth.one_time_tokens where token_hash = $1 and token_type = any ($2::auth.one_time_token_type[])
           and created_at > now() - interval '1 day' returning user_id`,
          [hash, tokenTypes],
        )
        if (!rows[0]) {
          throw new AuthError(
            403,
            'otp_expired',
            input.token_hash
              ? 'Email link is invalid or has expired'
              : 'Token has expired or is invalid',
          )
        }
        await savingUser(db, 'Database error updating user', () =>
          db.query(
            `update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()), confirmation_token = '',
               recovery_token = '', raw_user_meta_data = coalesce(raw_user_meta_data, '{}') || '{"email_verified": true}',
               updated_at = now() where id = $1`,
            [rows[0].user_id],
          ),
        )
        const user = (await findUserById(db, rows[0].user_id)) as UserRow
        return issueSession(ctx, db, user, 'otp')
      }),
    )
  })

  // The link in an email: verify, then redirect with the session in the URL fragment (implicit flow).
  app.get('/verify', async (c) => {
    const type = c.req.query('type') ?? ''
    const hash = c.req.query('token') ?? ''
    const redirectTo = safeRedirect(c.req.query('redirect_to'))
    const fail = (code: string, description: string) =>
      c.redirect(
        `${redirectTo}#error=access_denied&error_code=${code}&error_description=${encodeURIComponent(description)}`,
        303,
      )
    if (!['signup', 'invite', 'recovery', 'magiclink'].includes(type) || !hash) {
      return fail('validation_failed', 'Verify requires a verification type and token')
    }
    const tokenType =
      type === 'signup' || type === 'invite' ? 'confirmation_token' : 'recovery_token'
    try {
      const session = await tx(async (db) => {
        const { rows } = await db.query(
          `delete from auth.one_time_tokens where token_hash = $1 and token_type = $2
           and created_at > now() - interval '1 day' returning user_id`,
          [hash, tokenType],
        )
        if (!rows[0])
          throw new AuthError(403, 'otp_expired', 'Email link is invalid or has expired')
        await savingUser(db, 'Database error updating user', () =>
          db.query(
            `update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()), confirmation_token = '',
               recovery_token = '', updated_at = now() where id = $1`,
            [rows[0].user_id],
          ),
        )
        return issueSession(ctx, db, (await findUserById(db, rows[0].user_id)) as UserRow, 'otp')
      })
      const fragment = new URLSearchParams({
        access_token: session.access_token,
        expires_at: String(session.expires_at),
        expires_in: String(session.expires_in),
        refresh_token: session.refresh_token,
        token_type: 'bearer',
        type,
      })
      return c.redirect(`${redirectTo}#${fragment.toString()}`, 303)
    } catch (error) {
      if (error instanceof AuthError) return fail(error.code, error.message)
      throw error
    }
  })

  // Redirects go to the site URL or an allowed additional URL only (no open redirect).
  const safeRedirect = (target: string | undefined) => {
    const allowed = [ctx.config.auth.site_url, ...ctx.config.auth.additional_redirect_urls]
    if (target && allowed.some((prefix) => target.startsWith(prefix))) return target
    return ctx.config.auth.site_url
  }

  app.post('/invite', async (c) => {
    await requireAdmin(c)
    const input = await body(c)
    const email = checkEmail(input.email)
    const user = await tx(async (db) => {
      if (await findUserByEmail(db, email)) {
        throw new AuthError(
          422,
          'email_exists',
          'A user with this email address has already been registered',
        )
      }
      return savingUser(db, 'Database error saving new user', () =>
        insertUser(db, {
          email,
          userMetadata: (input.data as Json) ?? {},
          confirmed: false,
          invited: true,
        }),
      )
    })
    await sendLink(user, 'invite', c.req.query('redirect_to'))
    return c.json(userJson((await tx((db) => findUserById(db, user.id))) as UserRow))
  })

  app.post('/admin/users', async (c) => {
    await requireAdmin(c)
    const input = await body(c)
    const email = checkEmail(input.email)
    if (input.password !== undefined) checkPasswordStrength(input.password)
    const user = await tx(async (db) => {
      if (await findUserByEmail(db, email)) {
        throw new AuthError(
          422,
          'email_exists',
          'A user with this email address has already been registered',
        )
      }
      const confirmed = input.email_confirm === true
      return savingUser(db, 'Database error creating new user', () =>
        insertUser(db, {
          email,
          password: (input.password as string | undefined) ?? crypto.randomUUID(),
          userMetadata: {
            ...((input.user_metadata as Json) ?? {}),
            ...(confirmed ? { email_verified: true } : {}),
          },
          appMetadata: (input.app_metadata as Json) ?? {},
          confirmed,
        }),
      )
    })
    return c.json(userJson(user))
  })

  app.get('/admin/users', async (c) => {
    await requireAdmin(c)
    const page = Math.max(1, Number(c.req.query('page') ?? 1) || 1)
    const perPage = Math.min(1000, Math.max(1, Number(c.req.query('per_page') ?? 50) || 50))
    const { users, total } = await tx(async (db) => {
      const { rows } = await db.query<UserRow>(
        `select u.*, coalesce((select json_agg(i) from auth.identities i where i.user_id = u.id), '[]') as identities
         from auth.users u order by u.created_at desc, u.id limit $1 offset $2`,
        [perPage, (page - 1) * perPage],
      )
      const count = await db.query<{ n: string }>('select count(*) as n from auth.users')
      return { users: rows, total: Number(count.rows[0]?.n ?? 0) }
    })
    const last = Math.max(1, Math.ceil(total / perPage))
    const base = `${ctx.apiUrl}/auth/v1/admin/users?per_page=${perPage}`
    const links = [`<${base}&page=${last}>; rel="last"`]
    if (page < last) links.unshift(`<${base}&page=${page + 1}>; rel="next"`)
    return c.json({ users: users.map(userJson), aud: 'authenticated' }, 200, {
      'x-total-count': String(total),
      link: links.join(', '),
    })
  })

  app.get('/admin/users/:id', async (c) => {
    await requireAdmin(c)
    const user = await tx((db) => findUserById(db, c.req.param('id')))
    if (!user) throw new AuthError(404, 'user_not_found', 'User not found')
    return c.json(userJson(user))
  })

  app.put('/admin/users/:id', async (c) => {
    await requireAdmin(c)
    const input = await body(c)
    return c.json(
      userJson(
        await tx(async (db) => {
          const user = await findUserById(db, c.req.param('id'))
          if (!user) throw new AuthError(404, 'user_not_found', 'User not found')
          if (input.password !== undefined) checkPasswordStrength(input.password)
          await savingUser(db, 'Database error updating user', async () => {
            await db.query(
              `update auth.users set
                 email = coalesce($2, email),
                 encrypted_password = coalesce($3, encrypted_password),
                 raw_user_meta_data = $4, raw_app_meta_data = $5,
                 email_confirmed_at = case when $6 then coalesce(email_confirmed_at, now()) else email_confirmed_at end,
                 banned_until = case when $7::text = 'none' then null when $7::text is null then banned_until else now() + $7::interval end,
                 updated_at = now()
               where id = $1`,
              [
                user.id,
                typeof input.email === 'string' ? checkEmail(input.email) : null,
                typeof input.password === 'string' ? await hashPassword(input.password) : null,
                input.user_metadata
                  ? mergeMetadata(user.raw_user_meta_data, input.user_metadata as Json)
                  : user.raw_user_meta_data,
                input.app_metadata
                  ? mergeMetadata(user.raw_app_meta_data, input.app_metadata as Json)
                  : user.raw_app_meta_data,
                input.email_confirm === true,
                typeof input.ban_duration === 'string' ? input.ban_duration : null,
              ],
            )
          })
          return (await findUserById(db, user.id)) as UserRow
        }),
      ),
    )
  })

  app.delete('/admin/users/:id', async (c) => {
    await requireAdmin(c)
    const user = await tx(async (db) => {
      const found = await findUserById(db, c.req.param('id'))
      if (!found) throw new AuthError(404, 'user_not_found', 'User not found')
      await savingUser(db, 'Database error deleting user', () =>
        db.query('delete from auth.users where id = $1', [found.id]),
      )
      return found
    })
    return c.json(userJson(user))
  })

  app.post('/admin/generate_link', async (c) => {
    await requireAdmin(c)
    const input = await body(c)
    const email = checkEmail(input.email)
    let type = input.type as string
    if (!['signup', 'invite', 'magiclink', 'recovery'].includes(type))
      throw validation('Invalid link type')
    const redirectTo = (input.redirect_to as string | undefined) ?? c.req.query('redirect_to')
    const result = await tx(async (db) => {
      let user = await findUserByEmail(db, email)
      if (!user && type === 'magiclink') type = 'signup'
      if (!user && type === 'recovery')
        throw new AuthError(404, 'user_not_found', 'User with this email not found')
      if (user && (type === 'signup' || type === 'invite') && user.email_confirmed_at) {
        throw new AuthError(
          422,
          'email_exists',
          'A user with this email address has already been registered',
        )
      }
      if (!user) {
        if (type === 'signup') checkPasswordStrength(input.password)
        user = await savingUser(db, 'Database error saving new user', () =>
          insertUser(db, {
            email,
            password: input.password as string | undefined,
            userMetadata: (input.data as Json) ?? {},
            confirmed: false,
            invited: type === 'invite',
          }),
        )
      }
      const { otp, hash } = newEmailOtp(email)
      await storeOneTimeToken(
        db,
        user.id,
        type === 'signup' || type === 'invite' ? 'confirmation_token' : 'recovery_token',
        hash,
        email,
      )
      return { user: (await findUserById(db, user.id)) as UserRow, otp, hash }
    })
    return c.json({
      ...userJson(result.user),
      action_link: actionLink(result.hash, type, redirectTo),
      email_otp: result.otp,
      hashed_token: result.hash,
      verification_type: type,
      redirect_to: redirectTo ?? ctx.config.auth.site_url,
    })
  })

  app.notFound((c) => authErrorResponse(c, new AuthError(404, 'not_found', 'Not Found')))
  return app
}
