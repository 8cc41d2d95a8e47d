import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { Card } from '#app/components/ui/card.tsx'
import { EmptyState } from '#app/components/ui/empty-state.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { loaderRefusal } from '#app/lib/errors.server.ts'
import { respond } from '#app/lib/http.server.ts'
import { requireOrgMember } from '#app/lib/org.server.ts'

export const ErrorBoundary = OrgErrorBoundary

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const units = await rpc(context.supabase, 'list_units', { p_org_id: context.org.id }).catch(
    loaderRefusal(context),
  )
  return respond(context, {
    units: units.map((u) => ({ id: u.id ?? '', name: u.name ?? '', description: u.description })),
  })
}

export default function Units() {
  const { units } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title="Units" description="Teams and departments inside the organization." />
      <Card>
        {units.length ? (
          <ul className="divide-y divide-zinc-100">
            {units.map((unit) => (
              <li key={unit.id} className="px-5 py-3">
                <Link to={unit.id} className="font-medium text-zinc-900 hover:text-indigo-600">
                  {unit.name}
                </Link>
                {unit.description ? (
                  <p className="text-sm text-zinc-500">{unit.description}</p>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState title="No units yet">
            Units group members into teams or departments.
          </EmptyState>
        )}
      </Card>
    </>
  )
}
