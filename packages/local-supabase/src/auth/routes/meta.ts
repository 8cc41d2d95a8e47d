import { Hono } from 'hono'
import type { AuthContext } from '#src/auth/auth-context.ts'

/** GET /health, /settings and the JWKS: what clients read before signing in. */
export function metaRoutes(auth: AuthContext): Hono {
  const app = new Hono()
  app.get('/health', (c) =>
    c.json({ version: 'local', name: 'GoTrue', description: 'Tenantbase local Auth' }),
  )
  app.get('/settings', (c) =>
    c.json({
      external: { email: auth.config.email.enable_signup, phone: false, anonymous_users: false },
      disable_signup: !auth.config.enable_signup,
      mailer_autoconfirm: !auth.config.email.enable_confirmations,
      phone_autoconfirm: false,
      sms_provider: '',
      saml_enabled: false,
    }),
  )
  app.get('/.well-known/jwks.json', (c) =>
    c.json(auth.gateway.signer.jwks, 200, { 'cache-control': 'public, max-age=600' }),
  )
  return app
}
