import { randomBytes, randomUUID } from 'node:crypto'
import { AuthError } from '#src/auth/errors.ts'
import { type UserRow, userJson } from '#src/auth/user-json.ts'
import { type Db, findUserById } from '#src/auth/users.ts'
import type { GatewayContext } from '#src/gateway/context.ts'

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'

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

/** A refresh token as GoTrue's SecureAlphanumeric(12) makes it: lower-case base32. */
export function refreshTokenString(): string {
  return [...randomBytes(12)].map((b) => BASE32[b % 32]).join('')
}

/** Inserts a refresh token of a session; `parent` is the token it replaces. */
export async function insertRefreshToken(
  db: Db,
  userId: string,
  sessionId: string,
  parent: string | null,
): Promise<string> {
  const token = refreshTokenString()
  await db.query(
    `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
     values ('00000000-0000-0000-0000-000000000000', $1, $2, false, now(), now(), $3, $4)`,
    [token, userId, parent, sessionId],
  )
  return token
}

/**
 * Starts a session for a user and issues its first token pair, in the caller's transaction (as
 * supabase_auth_admin), like GoTrue's IssueRefreshToken: session, refresh token, the session's
 * AMR claim for `method`, last_sign_in_at, then the access token (with the hook).
 */
export async function issueSession(ctx: GatewayContext, db: Db, user: UserRow, method: string) {
  const sessionId = randomUUID()
  await db.query(
    `insert into auth.sessions (id, user_id, created_at, updated_at, aal, refreshed_at) values ($1, $2, now(), now(), 'aal1', now())`,
    [sessionId, user.id],
  )
  const refreshToken = await insertRefreshToken(db, user.id, sessionId, null)
  await db.query(
    `insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
     values (gen_random_uuid(), $1, now(), now(), $2)
     on conflict on constraint mfa_amr_claims_session_id_authentication_method_pkey do update set updated_at = now()`,
    [sessionId, method],
  )
  await db.query('update auth.users set last_sign_in_at = now() where id = $1', [user.id])
  return accessTokenResponse(ctx, db, user.id, sessionId, refreshToken, method)
}

/**
 * An access token for a session plus the given refresh token (GoTrue's AccessTokenResponse);
 * the AMR claims come from the session, most recent first. `method` is what the hook is told.
 */
export async function accessTokenResponse(
  ctx: GatewayContext,
  db: Db,
  userId: string,
  sessionId: string,
  refreshToken: string,
  method: string,
) {
  const user = (await findUserById(db, userId)) as UserRow
  const { rows: amrRows } = await db.query<{ method: string; timestamp: number }>(
    `select authentication_method as method, extract(epoch from updated_at)::bigint::int as timestamp
     from auth.mfa_amr_claims where session_id = $1 order by updated_at desc`,
    [sessionId],
  )
  const now = Math.floor(Date.now() / 1000)
  const expiresAt = now + ctx.config.auth.jwt_expiry
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
    amr: amrRows,
    session_id: sessionId,
    is_anonymous: user.is_anonymous ?? false,
  }
  claims = await runAccessTokenHook(ctx, db, user.id, claims, method)
  const accessToken = await ctx.signer.signAccessToken(claims)
  return {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: ctx.config.auth.jwt_expiry,
    expires_at: Number(claims.exp ?? expiresAt),
    refresh_token: refreshToken,
    user: userJson(user),
  }
}
export type AccessTokenResponse = Awaited<ReturnType<typeof accessTokenResponse>>

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
