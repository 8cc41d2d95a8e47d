import type { ActionFunctionArgs } from '@remix-run/node'
import { rpc } from '@tenantbase/schemas/rpc'
import { loaderRefusal, notFound } from '#app/lib/errors.server.ts'
import { redirectTo } from '#app/lib/http.server.ts'
import { listMyOrganizations } from '#app/lib/org.server.ts'
import { refreshClaims, requireUser } from '#app/lib/supabase.server.ts'

/**
 * The organization switcher posts here: the chosen organization becomes the active one and
 * the session is refreshed, so the new access token's claims (tenant_id, role, permissions)
 * are computed for it.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const slug = (await request.formData()).get('slug')
  const org = (await listMyOrganizations(user)).find((o) => o.slug === slug)
  if (!org) notFound(user, 'This organization does not exist, or you are not a member of it.')
  await rpc(user.supabase, 'set_active_organization', { p_org_id: org.id }).catch(
    loaderRefusal(user),
  )
  await refreshClaims(user)
  return redirectTo(user, `/org/${org.slug}/dashboard`)
}

export function loader() {
  return new Response(null, { status: 303, headers: { location: '/' } })
}
