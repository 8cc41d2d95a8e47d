import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { buttonClasses } from '#app/components/ui/button.tsx'
import { Card } from '#app/components/ui/card.tsx'
import { EmptyState } from '#app/components/ui/empty-state.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { loaderRefusal } from '#app/lib/errors.server.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { respond } from '#app/lib/http.server.ts'
import { requirePlatformAdmin } from '#app/lib/platform.server.ts'
import { describePlatformAction } from '#app/lib/platform-actions.ts'

export const ErrorBoundary = OrgErrorBoundary

export const meta: MetaFunction = () => [{ title: 'Action log · Platform admin · Tenantbase' }]

const PAGE_SIZE = 50

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePlatformAdmin(request)
  const raw = Number(new URL(request.url).searchParams.get('page') ?? 1)
  const page = Number.isInteger(raw) && raw >= 1 && raw <= 2000 ? raw : 1
  const rows = await rpc(admin.supabase, 'platform_list_action_logs', {
    p_limit: PAGE_SIZE + 1,
    p_offset: (page - 1) * PAGE_SIZE,
  }).catch(loaderRefusal(admin))
  return respond(admin, {
    page,
    hasOlder: rows.length > PAGE_SIZE,
    entries: rows.slice(0, PAGE_SIZE).map((row) => ({
      id: row.id ?? '',
      at: row.created_at,
      tenantId: row.target_organization_id,
      sentence: describePlatformAction({
        actor: row.actor_email,
        action: row.action ?? '',
        tenant: row.target_organization_name,
        details: (row.details ?? {}) as Record<string, unknown>,
      }),
    })),
  })
}

export default function ActionLog() {
  const { page, hasOlder, entries } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader
        title="Action log"
        description="Everything platform admins did, newest first. Times are in UTC."
      />
      <Card>
        {entries.length ? (
          <ol aria-label="Platform actions" className="divide-y divide-zinc-100">
            {entries.map((entry) => (
              <li
                key={entry.id}
                className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 px-5 py-3"
              >
                <p className="text-sm text-zinc-800">
                  {entry.sentence}
                  {entry.tenantId ? (
                    <>
                      {' '}
                      <Link
                        to={`/admin/tenants/${entry.tenantId}`}
                        className="text-xs font-medium text-indigo-600 hover:text-indigo-500"
                      >
                        Open tenant
                      </Link>
                    </>
                  ) : null}
                </p>
                <time
                  dateTime={entry.at ?? undefined}
                  className="text-xs whitespace-nowrap text-zinc-500"
                >
                  {formatDateTime(entry.at)}
                </time>
              </li>
            ))}
          </ol>
        ) : (
          <EmptyState title="Nothing yet">Actions of platform admins are listed here.</EmptyState>
        )}
        {page > 1 || hasOlder ? (
          <nav
            aria-label="Pages"
            className="flex items-center justify-between border-t border-zinc-100 px-5 py-3"
          >
            {page > 1 ? (
              <Link
                to={page === 2 ? '.' : `?page=${page - 1}`}
                className={buttonClasses('secondary', 'sm')}
              >
                ← Newer
              </Link>
            ) : (
              <span />
            )}
            <span className="text-sm text-zinc-500">Page {page}</span>
            {hasOlder ? (
              <Link to={`?page=${page + 1}`} className={buttonClasses('secondary', 'sm')}>
                Older →
              </Link>
            ) : (
              <span />
            )}
          </nav>
        ) : null}
      </Card>
    </>
  )
}
