import { randomBytes, randomUUID } from 'node:crypto'
import { AuthError } from '#src/auth/errors.ts'
import { type UserRow, userJson } from '#src/auth/user-json.ts'
import type { Db } from '#src/auth/users.ts'
import type { GatewayContext } from '#src/gateway/context.ts'

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const refreshTokenString = () =>
  [...randomBytes(12)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('')

const REQUIRED_CLAIMS = [
  'aud',
  'exp',
  'iat',
  'sub',
  'email',
  'phone',
  'role',
  'aal',
  'session_id',
  'is_anonymous',
]

/**
 * Issues an access + refresh token pair inside the caller's transaction (as supabase_auth_admin),
 * calling the custom access token hook from config.toml in the same transaction with a 2 s
 * statement timeout, like GoTrue. A new session is created unless one is given (refresh).
 */
export async function issueSession(
  ctx: GatewayContext,
  db: Db,
  user: UserRow,
  method: string,
  existing?: { sessionId: string; parent: string; amr: { method: string; timestamp: number }[] },
) {
  const sessionId = existing?.sessionId ?? randomUUID()
  const now = Math.floor(Date.now() / 1000)
  if (!existing) {
    await db.query(
      `insert into auth.sessions (id, user_id, created_at, updated_at, aal, refreshed_at) values ($1, $2, now(), now(), 'aal1', now())`,
      [sessionId, user.id],
    )
  } else {
    await db.query(
      'update auth.sessions set refreshed_at = now(), updated_at = now() where id = $1',
      [sessionId],
    )
  }
  const refreshToken = refreshTokenString()
  await db.query(
    `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
     values ('00000000-0000-0000-0000-000000000000', $1, $2, false, now(), now(), $3, $4)`,
    [refreshToken, user.id, existing?.parent ?? null, sessionId],
  )
  await db.query('update auth.users set last_sign_in_at = now() where id = $1 and $2', [
    user.id,
    !existing,
  ])
  const expiresAt = now + ctx.config.auth.jwt_expiry
  const amr = existing?.amr ?? [{ method, timestamp: now }]
  let claims: Record<string, unknown> = {
    iss: `${ctx.apiUrl}/auth/v1`,
    sub: user.id,
    aud: user.aud ?? 'authenticated',
    exp: expiresAt,
    iat: now,
    email: user.email ?? '',
    phone: user.phone ?? '',
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role ?? 'authenticated',
    aal: 'aal1',
    amr,
    session_id: sessionId,
    is_anonymous: user.is_anonymous ?? false,
  }
  claims = await runAccessTokenHook(ctx, db, user.id, claims, existing ? 'token_refresh' : method)
  const accessToken = await ctx.signer.signAccessToken(claims)
  return {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: ctx.config.auth.jwt_expiry,
    expires_at: Number(claims.exp ?? expiresAt),
    refresh_token: refreshToken,
    user: userJson(
      (
        await db.query<UserRow>(
          `select u.*, coalesce((select json_agg(i) from auth.identities i where i.user_id = u.id), '[]') as identities
       from auth.users u where u.id = $1`,
          [user.id],
        )
      ).rows[0] as UserRow,
    ),
  }
}

async function runAccessTokenHook(
  ctx: GatewayContext,
  db: Db,
  userId: string,
  claims: Record<string, unknown>,
  method: string,
): Promise<Record<string, unknown>> {
  const hook = ctx.config.auth.hook.custom_access_token
  if (!hook?.enabled) return claims
  const match = /^pg-functions:\/\/[^/]+\/([A-Za-z_][A-Za-z0-9_]*)\/([A-Za-z_][A-Za-z0-9_]*)$/.exec(
    hook.uri,
  )
  if (!match) throw new AuthError(500, 'unexpected_failure', `Invalid hook URI: ${hook.uri}`)
  const event = {
    metadata: {
      uuid: randomUUID(),
      time: new Date().toISOString(),
      name: 'customize-access-token',
    },
    user_id: userId,
    claims,
    authentication_method: method,
  }
  let output: { claims?: unknown; error?: { http_code?: number; message?: string } }
  await db.query('savepoint access_token_hook')
  try {
    await db.query(`set local statement_timeout to '2000'`)
    const { rows } = await db.query<{ output: typeof output }>(
      `select "${match[1]}"."${match[2]}"($1::jsonb) as output`,
      [JSON.stringify(event)],
    )
    await db.query('set local statement_timeout to default')
    output = rows[0]?.output ?? {}
  } catch {
    throw new AuthError(500, 'unexpected_failure', `Error running hook URI: ${hook.uri}`)
  }
  if (output.error?.message) {
    throw new AuthError(
      output.error.http_code || 500,
      output.error.http_code ? 'unknown' : 'unexpected_failure',
      output.error.message,
    )
  }
  if (!output.claims || typeof output.claims !== 'object' || Array.isArray(output.claims)) {
    throw new AuthError(500, 'unexpected_failure', 'output claims field is missing')
  }
  const result = output.claims as Record<string, unknown>
  const missing = REQUIRED_CLAIMS.filter((key) => !(key in result))
  if (missing.length > 0 || !Number.isInteger(result.exp) || !Number.isInteger(result.iat)) {
    throw new AuthError(
      500,
      'unexpected_failure',
      `output claims do not conform to the expected schema: missing properties: ${missing.join(', ')}`,
    )
  }
  return result
}
