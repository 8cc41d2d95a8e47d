import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { Badge } from '#app/components/ui/badge.tsx'
import { Card } from '#app/components/ui/card.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { Table, TBody, Td, THead, Th, Tr } from '#app/components/ui/table.tsx'
import { loaderRefusal } from '#app/lib/errors.server.ts'
import { respond } from '#app/lib/http.server.ts'
import { requireOrgMember } from '#app/lib/org.server.ts'

export const ErrorBoundary = OrgErrorBoundary

/** The organization's roles (the graph editor builds on this). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const roles = await rpc(context.supabase, 'list_roles', { p_org_id: context.org.id }).catch(
    loaderRefusal(context),
  )
  const names = new Map(roles.map((r) => [r.id, r.label ?? r.name ?? '']))
  return respond(context, {
    roles: roles.map((r) => ({
      id: r.id ?? '',
      label: r.label ?? r.name ?? '',
      isRoot: r.is_root ?? false,
      parents: (r.parent_role_ids ?? []).map((id) => names.get(id) ?? ''),
      permissionCount: r.effective_permissions?.length ?? 0,
      memberCount: r.member_count ?? 0,
    })),
  })
}

export default function Roles() {
  const { roles } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader
        title="Roles"
        description="Roles form a hierarchy: a role holds the permissions of every role below it."
      />
      <Card>
        <Table>
          <THead>
            <Tr>
              <Th>Role</Th>
              <Th>Reports to</Th>
              <Th>Permissions</Th>
              <Th>Members</Th>
            </Tr>
          </THead>
          <TBody>
            {roles.map((role) => (
              <Tr key={role.id}>
                <Td className="font-medium text-zinc-900">
                  {role.label}{' '}
                  {role.isRoot && role.label !== 'Owner' ? (
                    <Badge tone="indigo">Owner</Badge>
                  ) : null}
                </Td>
                <Td>{role.parents.join(', ') || '—'}</Td>
                <Td>{role.permissionCount}</Td>
                <Td>{role.memberCount}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </Card>
    </>
  )
}
