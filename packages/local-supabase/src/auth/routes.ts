import { Hono } from 'hono'
import { createAuthContext } from '#src/auth/auth-context.ts'
import { AuthError, authErrorResponse } from '#src/auth/errors.ts'
import { adminUserRoutes } from '#src/auth/routes/admin-users.ts'
import { disabledRoutes } from '#src/auth/routes/disabled.ts'
import { generateLinkRoutes } from '#src/auth/routes/generate-link.ts'
import { inviteRoutes } from '#src/auth/routes/invite.ts'
import { logoutRoutes } from '#src/auth/routes/logout.ts'
import { metaRoutes } from '#src/auth/routes/meta.ts'
import { otpRoutes } from '#src/auth/routes/otp.ts'
import { recoverRoutes } from '#src/auth/routes/recover.ts'
import { resendRoutes } from '#src/auth/routes/resend.ts'
import { signupRoutes } from '#src/auth/routes/signup.ts'
import { tokenRoutes } from '#src/auth/routes/token.ts'
import { userRoutes } from '#src/auth/routes/user.ts'
import { verifyRoutes } from '#src/auth/routes/verify.ts'
import type { GatewayContext } from '#src/gateway/context.ts'
import { authDatabaseFailure } from '#src/gateway/database-failure.ts'

/**
 * GoTrue's API (the part supabase-js uses), on the auth schema as supabase_auth_admin. Each
 * concern lives in its own module under routes/; this file only wires them.
 */
export function createAuthRoutes(ctx: GatewayContext): Hono {
  const auth = createAuthContext(ctx)
  const app = new Hono()

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
  // Every /admin route needs a service_role token (GoTrue's requireAdminCredentials).
  app.use('/admin/*', async (c, next) => {
    await auth.requireAdmin(c)
    await next()
  })

  for (const routes of [
    metaRoutes,
    signupRoutes,
    tokenRoutes,
    verifyRoutes,
    recoverRoutes,
    otpRoutes,
    resendRoutes,
    userRoutes,
    logoutRoutes,
    inviteRoutes,
    adminUserRoutes,
    generateLinkRoutes,
    disabledRoutes,
  ]) {
    app.route('/', routes(auth))
  }

  app.notFound((c) => authErrorResponse(c, new AuthError(404, 'not_found', 'Not Found')))
  return app
}
