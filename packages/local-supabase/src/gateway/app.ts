import { Hono } from 'hono'
import { createAuthRoutes } from '#src/auth/routes.ts'
import type { GatewayContext } from '#src/gateway/context.ts'
import { corsHeaders } from '#src/gateway/cors.ts'
import { createRestRoutes } from '#src/rest/routes.ts'
import { createStorageRoutes } from '#src/storage/routes.ts'

/** The one HTTP entry point, laid out like Supabase's Kong: /auth/v1, /rest/v1, /storage/v1. */
export function createGatewayApp(ctx: GatewayContext): Hono {
  const app = new Hono()
  app.use('*', corsHeaders())
  app.route('/auth/v1', createAuthRoutes(ctx))
  app.route('/rest/v1', createRestRoutes(ctx))
  app.route('/storage/v1', createStorageRoutes(ctx))
  app.get('/', (c) =>
    c.json({
      message: 'Tenantbase local Supabase gateway: /auth/v1, /rest/v1, /storage/v1',
      // Lets `stack:start` in another checkout say whose stack holds these ports.
      ...(ctx.stackHome ? { stack: { home: ctx.stackHome, pid: process.pid } } : {}),
    }),
  )
  app.notFound((c) => c.json({ message: 'no Route matched with those values' }, 404))
  return app
}
