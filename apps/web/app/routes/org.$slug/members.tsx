import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { Avatar } from '#app/components/ui/avatar.tsx'
import { Card } from '#app/components/ui/card.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { Table, TBody, Td, THead, Th, Tr } from '#app/components/ui/table.tsx'
import { loaderRefusal } from '#app/lib/errors.server.ts'
import { formatDate, personName } from '#app/lib/format.ts'
import { respond } from '#app/lib/http.server.ts'
import { requireOrgMember } from '#app/lib/org.server.ts'

export const ErrorBoundary = OrgErrorBoundary

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const members = await rpc(context.supabase, 'list_organization_members', {
    p_id: context.org.id,
  }).catch(loaderRefusal(context))
  return respond(context, {
    members: members.map((m) => ({
      userId: m.user_id ?? '',
      name: personName(m),
      email: m.email ?? '',
      role: m.role_label ?? m.role ?? '',
      joinedAt: m.joined_at,
    })),
  })
}

export default function Members() {
  const { members } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title="Members" description="People in this organization and their roles." />
      <Card>
        <Table>
          <THead>
            <Tr>
              <Th>Name</Th>
              <Th>Role</Th>
              <Th>Joined</Th>
            </Tr>
          </THead>
          <TBody>
            {members.map((m) => (
              <Tr key={m.userId}>
                <Td>
                  <div className="flex items-center gap-3">
                    <Avatar name={m.name} />
                    <div className="min-w-0">
                      <p className="truncate font-medium text-zinc-900">{m.name}</p>
                      <p className="truncate text-xs text-zinc-500">{m.email}</p>
                    </div>
                  </div>
                </Td>
                <Td>{m.role}</Td>
                <Td>{formatDate(m.joinedAt)}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>
    </>
  )
}
