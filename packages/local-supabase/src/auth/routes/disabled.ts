import type { Context } from 'hono'
import { Hono } from 'hono'
import type { AuthContext } from '#src/auth/auth-context.ts'
import { AuthError } from '#src/auth/errors.ts'

/**
 * What `supabase start` leaves switched off answers as GoTrue does then, not with a 404 route:
 * SAML SSO (no [auth.saml]) and manual identity linking (enable_manual_linking = false).
 */
export function disabledRoutes(auth: AuthContext): Hono {
  const app = new Hono()
  const samlDisabled = () => {
    throw new AuthError(404, 'saml_provider_disabled', 'SAML 2.0 is disabled')
  }
  app.post('/sso', samlDisabled)
  app.get('/sso/saml/metadata', samlDisabled)
  app.post('/sso/saml/acs', samlDisabled)
  // The admin list reads the (empty) provider table whether SAML is on or not.
  app.get('/admin/sso/providers', (c) => c.json({ items: [] }))

  const linkingDisabled = async (c: Context) => {
    await auth.tx((db) => auth.currentUser(c, db))
    throw new AuthError(404, 'manual_linking_disabled', 'Manual linking is disabled')
  }
  app.get('/user/identities/authorize', linkingDisabled)
  app.delete('/user/identities/:id', linkingDisabled)
  return app
}
