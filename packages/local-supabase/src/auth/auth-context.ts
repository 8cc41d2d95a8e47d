import type { Context } from 'hono'
import { AuthError, badJwt, CommitWithError, notAdmin } from '#src/auth/errors.ts'
import { referrerOf } from '#src/auth/redirect.ts'
import type { UserRow } from '#src/auth/user-json.ts'
import { type Db, findUserById } from '#src/auth/users.ts'
import { bearerToken, describeJwtFailure } from '#src/gateway/caller.ts'
import type { StackConfig } from '#src/gateway/config.ts'
import type { GatewayContext } from '#src/gateway/context.ts'

export type Json = Record<string, unknown>

/** What every Auth route module shares: config, transactions as GoTrue's login, the caller. */
export type AuthContext = {
  gateway: GatewayContext
  config: StackConfig['auth']
  /** Runs fn in one transaction as supabase_auth_admin (GoTrue's login). */
  tx<T>(fn: (db: Db) => Promise<T>): Promise<T>
  /** The JSON object body (GoTrue refuses anything else with bad_json). */
  body(c: Context): Promise<Json>
  /** The verified claims of the request's bearer token. */
  claims(c: Context): Promise<Json>
  /** The signed-in user of the request (GoTrue's requireAuthentication), inside a transaction. */
  currentUser(c: Context, db: Db): Promise<{ user: UserRow; claims: Json }>
  requireAdmin(c: Context): Promise<void>
  /** The request's redirect target after GoTrue's allow-list rules (else site_url). */
  referrer(c: Context): string
}

export function createAuthContext(gateway: GatewayContext): AuthContext {
  const auth: AuthContext = {
    gateway,
    get config() {
      return gateway.config.auth
    },
    tx: async (fn) => {
      const db = await gateway.pool('supabase_auth_admin').connect()
      try {
        await db.query('begin')
        const result = await fn(db)
        await db.query('commit')
        return result
      } catch (error) {
        if (error instanceof CommitWithError) {
          await db.query('commit')
          throw error.error
        }
        await db.query('rollback').catch(() => undefined)
        throw error
      } finally {
        db.release()
      }
    },
    body: async (c) => {
      const text = await c.req.text()
      if (!text) return {}
      try {
        const parsed = JSON.parse(text)
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Json
      } catch {}
      throw new AuthError(400, 'bad_json', 'Could not parse request body as JSON')
    },
    claims: async (c) => {
      // As the CLI's Kong forwards it: opaque keys become JWTs, a missing Authorization the apikey.
      const token = bearerToken(c.req.raw.headers)
      if (!token) {
        throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token')
      }
      try {
        return (await gateway.signer.verify(token)) as Json
      } catch (error) {
        throw badJwt(describeJwtFailure(error).gotrueMessage)
      }
    },
    currentUser: async (c, db) => {
      const claims = await auth.claims(c)
      if (typeof claims.sub !== 'string' || !claims.sub) {
        throw badJwt('invalid claim: missing sub claim')
      }
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
      if (!user) {
        throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist')
      }
      return { user, claims }
    },
    requireAdmin: async (c) => {
      // The CLI sets GOTRUE_JWT_ADMIN_ROLES to service_role only.
      if ((await auth.claims(c)).role !== 'service_role') throw notAdmin()
    },
    referrer: (c) => referrerOf(gateway.config.auth, c.req.raw),
  }
  return auth
}

/** A string field of a request body; GoTrue's JSON decoding refuses other types. */
export function text(input: Json, key: string): string {
  const value = input[key]
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  throw new AuthError(
    400,
    'bad_json',
    `Could not parse request body as JSON: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go struct field .${key} of type string`,
  )
}

/** An object field of a request body (metadata); anything else counts as absent. */
export function object(input: Json, key: string): Json | undefined {
  const value = input[key]
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined
}
