import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { Card } from '#app/components/ui/card.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { loaderRefusal, notFound } from '#app/lib/errors.server.ts'
import { personName } from '#app/lib/format.ts'
import { respond } from '#app/lib/http.server.ts'
import { requireOrgMember } from '#app/lib/org.server.ts'

export const ErrorBoundary = OrgErrorBoundary

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const refusal = loaderRefusal(context)
  const [unit] = await rpc(context.supabase, 'get_unit', { p_id: params.unitId ?? '' }).catch(
    refusal,
  )
  if (!unit || unit.organization_id !== context.org.id)
    notFound(context, 'This unit does not exist.')
  const members = await rpc(context.supabase, 'list_unit_members', {
    p_unit_id: unit.id ?? '',
  }).catch(refusal)
  return respond(context, {
    unit: { id: unit.id ?? '', name: unit.name ?? '', description: unit.description },
    members: members.map((m) => ({
      userId: m.user_id ?? '',
      name: personName(m),
      role: m.role_label ?? '',
    })),
  })
}

export default function Unit() {
  const { unit, members } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader
        title={unit.name}
        description={unit.description ?? 'A unit of the organization.'}
      />
      <Card>
        <ul className="divide-y divide-zinc-100">
          {members.map((m) => (
            <li key={m.userId} className="px-5 py-3">
              {m.name} · {m.role}
            </li>
          ))}
        </ul>
      </Card>
    </>
  )
}
