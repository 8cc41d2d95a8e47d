import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Outlet, useLoaderData } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { Logo } from '#app/components/logo.tsx'
import { OrgNav } from '#app/components/org-nav.tsx'
import { OrgSwitcher } from '#app/components/org-switcher.tsx'
import { UserMenu } from '#app/components/user-menu.tsx'
import { loaderRefusal } from '#app/lib/errors.server.ts'
import { respond } from '#app/lib/http.server.ts'
import { requireOrgMember, syncClaims } from '#app/lib/org.server.ts'
import { publicUrl } from '#app/lib/storage.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.org.name} · Tenantbase` : 'Tenantbase' },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const refusal = loaderRefusal(context)
  const [isPlatformAdmin, [profile]] = await Promise.all([
    rpc(context.supabase, 'is_platform_admin', {}).catch(refusal),
    rpc(context.supabase, 'get_organization_profile', { p_id: context.org.id }).catch(refusal),
    syncClaims(context),
  ])
  return respond(context, {
    org: context.org,
    logoUrl:
      profile?.logo_bucket_id && profile.logo_object_name
        ? publicUrl(profile.logo_bucket_id, profile.logo_object_name)
        : null,
    organizations: context.organizations,
    access: context.access,
    user: { email: context.email, isPlatformAdmin: isPlatformAdmin ?? false },
  })
}

/** Inside an organization: sidebar (desktop) or top bar (phone) with switcher and nav. */
export default function OrgLayout() {
  const { org, organizations, access, user, logoUrl } = useLoaderData<typeof loader>()
  return (
    <div className="min-h-full">
      <a
        href="#main"
        className="sr-only z-30 rounded-lg bg-white px-3 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:top-3 focus:left-3"
      >
        Skip to content
      </a>
      <aside className="fixed inset-y-0 left-0 z-10 hidden w-64 flex-col border-r border-zinc-200 bg-white md:flex">
        <div className="px-4 pt-5 pb-4">
          <Logo to={`/org/${org.slug}/dashboard`} />
        </div>
        <div className="px-3">
          <OrgSwitcher current={org} organizations={organizations} logoUrl={logoUrl} />
        </div>
        <div className="mt-4 flex-1 overflow-y-auto px-3">
          <OrgNav slug={org.slug} access={access} orientation="vertical" />
        </div>
        <div className="border-t border-zinc-100 p-3">
          <UserMenu
            email={user.email}
            name={null}
            placement="sidebar"
            isPlatformAdmin={user.isPlatformAdmin}
          />
        </div>
      </aside>

      <header className="sticky top-0 z-10 border-b border-zinc-200 bg-white/95 px-4 pt-3 backdrop-blur md:hidden">
        <div className="flex items-center gap-2 pb-3">
          <div className="min-w-0 flex-1">
            <OrgSwitcher current={org} organizations={organizations} logoUrl={logoUrl} />
          </div>
          <UserMenu
            email={user.email}
            name={null}
            placement="header"
            isPlatformAdmin={user.isPlatformAdmin}
          />
        </div>
        <OrgNav slug={org.slug} access={access} orientation="horizontal" />
      </header>

      <div className="md:pl-64">
        <main id="main" className="mx-auto max-w-5xl px-4 py-6 sm:px-6 md:px-10 md:py-10">
          <Outlet />
        </main>
      </div>
    </div>
  )
}
