import { Link } from '@remix-run/react'
import { Badge } from '#app/components/ui/badge.tsx'
import { cn } from '#app/components/ui/cn.ts'
import { Table, TBody, Td, THead, Th, Tr } from '#app/components/ui/table.tsx'
import type { Access } from '#app/lib/access.ts'
import { mayManageRole } from './role-abilities.ts'
import type { RoleRow } from './role-row.ts'

/**
 * The same roles as the graph, as a table: what keyboard and screen-reader users work with
 * (and anyone who prefers a list). Each role links to its details.
 */
export function RolesTable({
  roles,
  access,
  selectedId,
}: {
  roles: RoleRow[]
  access: Access
  selectedId: string | null
}) {
  const names = new Map(roles.map((r) => [r.id, r.label]))
  return (
    <Table aria-label="Roles">
      <THead>
        <Tr>
          <Th>Role</Th>
          <Th className="hidden sm:table-cell">Reports to</Th>
          <Th className="hidden md:table-cell">Permissions</Th>
          <Th>Members</Th>
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </Tr>
      </THead>
      <TBody>
        {roles.map((role) => {
          const manageable = mayManageRole(access, role.id)
          const reportsTo = role.parentIds.map((id) => names.get(id)).join(', ')
          return (
            <Tr
              key={role.id}
              className={cn(role.id === selectedId && 'bg-indigo-50/50')}
              aria-current={role.id === selectedId ? 'true' : undefined}
            >
              <Td>
                <div className="flex flex-wrap items-center gap-1.5">
                  <span className="font-medium text-zinc-900">{role.label}</span>
                  {role.isRoot && role.label.toLowerCase() !== 'owner' ? (
                    <Badge tone="indigo">Owner</Badge>
                  ) : null}
                  {role.id === access.roleId ? <Badge tone="green">You</Badge> : null}
                </div>
                <p className="mt-0.5 text-xs text-zinc-500 sm:hidden">
                  {reportsTo ? `Reports to ${reportsTo}` : 'Top role'}
                </p>
              </Td>
              <Td className="hidden sm:table-cell">{reportsTo || '—'}</Td>
              <Td className="hidden md:table-cell">
                {role.isRoot
                  ? 'All'
                  : `${role.permissions.length} own · ${role.effectivePermissions.length} in total`}
              </Td>
              <Td>{role.memberCount}</Td>
              <Td className="text-right">
                <Link
                  to={`?role=${role.id}`}
                  preventScrollReset
                  className="rounded font-medium text-indigo-700 hover:text-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600"
                >
                  {manageable ? 'Edit' : 'View'}
                  <span className="sr-only"> {role.label}</span>
                </Link>
              </Td>
            </Tr>
          )
        })}
      </TBody>
    </Table>
  )
}
