import { Hono } from 'hono'
import type { AuthContext } from '#src/auth/auth-context.ts'
import { validation } from '#src/auth/errors.ts'

/** POST /logout?scope=global|local|others: ends sessions (their refresh tokens cascade). */
export function logoutRoutes(auth: AuthContext): Hono {
  const app = new Hono()
  app.post('/logout', async (c) => {
    const scope = c.req.query('scope') ?? 'global'
    if (!['global', 'local', 'others'].includes(scope)) {
      throw validation(`Unsupported logout scope "${scope}"`)
    }
    await auth.tx(async (db) => {
      const { user, claims } = await auth.currentUser(c, db)
      if (scope === 'local') {
        await db.query('delete from auth.sessions where id = $1', [claims.session_id])
      } else if (scope === 'others') {
        await db.query('delete from auth.sessions where user_id = $1 and id <> $2', [
          user.id,
          claims.session_id,
        ])
      } else await db.query('delete from auth.sessions where user_id = $1', [user.id])
    })
    return c.body(null, 204)
  })
  return app
}
