import type { AuthContext } from '#src/auth/auth-context.ts'
import { AuthError, CommitWithError, validation } from '#src/auth/errors.ts'
import {
  type AccessTokenResponse,
  accessTokenResponse,
  insertRefreshToken,
} from '#src/auth/tokens.ts'
import { findUserById } from '#src/auth/users.ts'

const notFound = () =>
  new AuthError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found')

/**
 * POST /token?grant_type=refresh_token, GoTrue's rotation for its 12-character tokens
 * (auth:internal/tokens/service.go RefreshTokenGrant):
 * - the token row is locked, so concurrent refreshes of one token run one after another;
 * - a live token is revoked and replaced by a child;
 * - a revoked token whose child is the session's live token gets that same child back (a client
 *   that lost the answer, or a concurrent caller): one live chain per session;
 * - any other revoked token within `refresh_token_reuse_interval` still gets a child;
 * - outside it, reuse means theft: the whole session ends, committed although the request fails.
 */
export async function refreshTokenGrant(
  auth: AuthContext,
  token: string,
): Promise<AccessTokenResponse> {
  if (token.length !== 12 || !/^[a-z0-9]{12}$/.test(token)) {
    throw validation('Refresh token is not valid')
  }
  return auth.tx(async (db) => {
    const { rows } = await db.query<{
      id: string
      user_id: string
      revoked: boolean
      updated_at: Date
      session_id: string | null
    }>('select * from auth.refresh_tokens where token = $1 for update', [token])
    const row = rows[0]
    if (!row) throw notFound()
    const user = await findUserById(db, row.user_id)
    if (!user) throw notFound()
    const session = row.session_id
      ? (await db.query('select id from auth.sessions where id = $1 for update', [row.session_id]))
          .rows[0]
      : undefined
    if (!session || !row.session_id) {
      throw new AuthError(400, 'session_not_found', 'Invalid Refresh Token: No Valid Session Found')
    }
    if (user.banned_until && new Date(user.banned_until as string) > new Date()) {
      throw new AuthError(400, 'user_banned', 'Invalid Refresh Token: User Banned')
    }
    const sessionId = row.session_id
    let issued: string | undefined
    if (row.revoked) {
      const { rows: active } = await db.query<{ token: string; parent: string | null }>(
        'select token, parent from auth.refresh_tokens where session_id = $1 and not revoked order by id desc limit 1',
        [sessionId],
      )
      if (active[0]?.parent === token) {
        issued = active[0].token
      } else {
        const reuseUntil =
          row.updated_at.getTime() + auth.config.refresh_token_reuse_interval * 1000
        if (Date.now() > reuseUntil) {
          if (auth.config.enable_refresh_token_rotation) {
            // GoTrue revokes the token family; ending the session (as GoTrue does for its
            // newer token format) also makes every later use of its tokens fail, the newest
            // one included, and its access tokens lose their session.
            await db.query('delete from auth.sessions where id = $1', [sessionId])
          }
          throw new CommitWithError(
            new AuthError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used'),
          )
        }
      }
    }
    if (!issued) {
      await db.query(
        'update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1',
        [row.id],
      )
      issued = await insertRefreshToken(db, user.id, sessionId, token)
    }
    await db.query(
      'update auth.sessions set refreshed_at = now(), updated_at = now() where id = $1',
      [sessionId],
    )
    return accessTokenResponse(auth.gateway, db, user.id, sessionId, issued, 'token_refresh')
  })
}
