import { redirect } from '@remix-run/node'
import type { SupabaseClient } from '@supabase/supabase-js'
import { createRequestClient } from '@tenantbase/supabase/server-client'
import { z } from 'zod'
import { env } from '#app/lib/env.server.ts'

/** The claims the app reads from a verified access token (the hook adds the tenant ones). */
const claimsSchema = z.object({
  sub: z.string(),
  email: z.string().optional(),
  tenant_id: z.string().optional(),
  role_id: z.string().optional(),
  permissions: z.array(z.string()).optional(),
  authz_version: z.number().optional(),
})
export type Claims = z.infer<typeof claimsSchema>

/**
 * One request's Supabase session: the client acting as the visitor, and the `Set-Cookie`
 * headers it produced (token refresh, sign-in, sign-out). Every response of a loader or action
 * must carry `headers` (see respond() / redirectTo() in http.server.ts).
 */
export type RequestSession = { supabase: SupabaseClient; headers: Headers }
export type SignedIn = RequestSession & { claims: Claims; userId: string; email: string }
export type Visitor = RequestSession & { claims: null }

export function getSession(request: Request): RequestSession {
  return createRequestClient(env(), request)
}

/**
 * The signed-in user, verified on the server: getClaims() checks the access token's signature
 * against the stack's JWKS (refreshing an expired token first), so a forged or stale cookie
 * never counts. Returns null for visitors.
 */
export async function getUser(request: Request): Promise<SignedIn | Visitor> {
  const session = getSession(request)
  const { data, error } = await session.supabase.auth.getClaims()
  const parsed = !error && data ? claimsSchema.safeParse(data.claims) : undefined
  if (!parsed?.success) return { ...session, claims: null }
  return {
    ...session,
    claims: parsed.data,
    userId: parsed.data.sub,
    email: parsed.data.email ?? '',
  }
}

/** Like getUser(), but sends visitors to the sign-in page and back here afterwards. */
export async function requireUser(request: Request): Promise<SignedIn> {
  const result = await getUser(request)
  if (result.claims === null) {
    const url = new URL(request.url)
    const back = `${url.pathname}${url.search}`
    throw redirect(`/sign-in?redirectTo=${encodeURIComponent(back)}`, { headers: result.headers })
  }
  return result
}

/** Refreshes the session so a new access token (and its claims) replaces the cookie's. */
export async function refreshClaims(session: RequestSession): Promise<void> {
  const { error } = await session.supabase.auth.refreshSession()
  if (error) throw redirect('/sign-in', { headers: session.headers })
}
