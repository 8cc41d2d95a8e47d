import type { LoaderFunctionArgs } from '@remix-run/node'
import { rpc } from '@tenantbase/schemas/rpc'
import type { Access } from '#app/lib/access.ts'
import { loaderRefusal, notFound } from '#app/lib/errors.server.ts'
import {
  type RequestSession,
  refreshClaims,
  requireUser,
  type SignedIn,
} from '#app/lib/supabase.server.ts'

export type Organization = {
  id: string
  slug: string
  name: string
  description: string | null
  roleLabel: string
  isActive: boolean
}

export type OrgContext = SignedIn & {
  org: Organization
  access: Access
  organizations: Organization[]
}

/** The caller's organizations (list_my_organizations), as the request's session. */
export async function listMyOrganizations(session: RequestSession): Promise<Organization[]> {
  const rows = await rpc(session.supabase, 'list_my_organizations', {}).catch(
    loaderRefusal(session),
  )
  return rows.map((row) => ({
    id: row.id ?? '',
    slug: row.slug ?? '',
    name: row.name ?? '',
    description: row.description,
    roleLabel: row.role_label ?? row.role ?? '',
    isActive: row.is_active ?? false,
  }))
}

/**
 * The signed-in member of the organization in the URL, with what they may do there. Someone
 * who is not (or no longer) a member gets the same 404 as for an organization that does not
 * exist, so another tenant's existence never shows.
 */
export async function requireOrgMember(
  request: Request,
  params: LoaderFunctionArgs['params'],
): Promise<OrgContext> {
  const session = await requireUser(request)
  const organizations = await listMyOrganizations(session)
  const org = organizations.find((o) => o.slug === params.slug)
  if (!org) notFound(session, 'This organization does not exist, or you are not a member of it.')
  const [row] = await rpc(session.supabase, 'get_my_access', { p_org_id: org.id }).catch(
    loaderRefusal(session),
  )
  if (!row?.role_id) {
    notFound(session, 'This organization does not exist, or you are not a member of it.')
  }
  const access: Access = {
    roleId: row.role_id,
    roleName: row.role_name ?? '',
    isOwner: row.is_root ?? false,
    permissions: row.permissions ?? [],
    rolesBelow: row.subordinate_role_ids ?? [],
  }
  return { ...session, org, access, organizations }
}

/**
 * Keeps the session's JWT claims in step with the organization on screen and with the
 * database: switches the active organization when the URL names another one, and refreshes
 * the token when get_authz_version says access changed since it was issued (a new role, a
 * removed membership, edited permissions). Called by the organization layout only, so one
 * page load refreshes at most once.
 */
export async function syncClaims(context: OrgContext): Promise<void> {
  const refusal = loaderRefusal(context)
  if (context.claims.tenant_id !== context.org.id) {
    await rpc(context.supabase, 'set_active_organization', { p_org_id: context.org.id }).catch(
      refusal,
    )
    await refreshClaims(context)
    return
  }
  const version = await rpc(context.supabase, 'get_authz_version', {}).catch(refusal)
  if ((version ?? 0) > (context.claims.authz_version ?? 0)) await refreshClaims(context)
}
