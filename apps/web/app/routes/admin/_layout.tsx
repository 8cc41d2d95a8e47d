import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Outlet, useLoaderData } from '@remix-run/react'
import { AdminNav } from '#app/components/admin-nav.tsx'
import { Logo } from '#app/components/logo.tsx'
import { UserMenu } from '#app/components/user-menu.tsx'
import { respond } from '#app/lib/http.server.ts'
import { requirePlatformAdmin } from '#app/lib/platform.server.ts'

export const meta: MetaFunction = () => [{ title: 'Platform admin · Tenantbase' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePlatformAdmin(request)
  return respond(admin, { email: admin.email })
}

/** The operator's screens: sidebar (desktop) or top bar (phone), like an organization's. */
export default function AdminLayout() {
  const { email } = useLoaderData<typeof loader>()
  return (
    <div className="min-h-full">
      <aside className="fixed inset-y-0 left-0 z-10 hidden w-64 flex-col border-r border-zinc-200 bg-white md:flex">
        <div className="px-4 pt-5 pb-4">
          <Logo to="/admin" />
          <p className="mt-3 inline-flex items-center rounded-md bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200 ring-inset">
            Platform admin
          </p>
        </div>
        <div className="mt-2 flex-1 overflow-y-auto px-3">
          <AdminNav orientation="vertical" />
        </div>
        <div className="border-t border-zinc-100 p-3">
          <UserMenu email={email} name={null} placement="sidebar" isPlatformAdmin />
        </div>
      </aside>

      <header className="sticky top-0 z-10 border-b border-zinc-200 bg-white/95 px-4 pt-3 backdrop-blur md:hidden">
        <div className="flex items-center gap-2 pb-3">
          <div className="flex min-w-0 flex-1 items-center gap-2">
            <Logo to="/admin" />
            <span className="rounded-md bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200 ring-inset">
              Admin
            </span>
          </div>
          <UserMenu email={email} name={null} placement="header" isPlatformAdmin />
        </div>
        <AdminNav orientation="horizontal" />
      </header>

      <div className="md:pl-64">
        <main className="mx-auto max-w-5xl px-4 py-6 sm:px-6 md:px-10 md:py-10">
          <Outlet />
        </main>
      </div>
    </div>
  )
}
