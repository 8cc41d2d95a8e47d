import { type Access, can, isBelowMe } from '#app/lib/access.ts'
import { descendantsOf, type GraphRole } from './role-graph-layout.ts'

/**
 * What the viewer may do with roles, from get_my_access (SPEC §4.2): manage only roles strictly
 * below their own, with roles.manage; attach roles only under their own role or below it;
 * grant only permissions they effectively hold. The UI offers exactly this; the database
 * checks it again and its refusal is shown if it happens.
 */
export function mayManageRoles(access: Access): boolean {
  return can(access, 'roles.manage')
}

export function mayManageRole(access: Access, roleId: string): boolean {
  return mayManageRoles(access) && isBelowMe(access, roleId)
}

/** Roles a new or re-parented role may hang under: the viewer's own role and every role below it. */
export function usableParents<R extends GraphRole>(access: Access, roles: R[]): R[] {
  return roles.filter((role) => role.id === access.roleId || isBelowMe(access, role.id))
}

/** Parents the viewer could add to `role`: usable, not already a parent, not the role or below it. */
export function addableParents<R extends GraphRole>(access: Access, roles: R[], role: R): R[] {
  const below = descendantsOf(roles, role.id)
  return usableParents(access, roles).filter(
    (candidate) =>
      candidate.id !== role.id &&
      !role.parentIds.includes(candidate.id) &&
      !below.has(candidate.id),
  )
}

/** Catalogue codes the viewer may grant: the ones they effectively hold. */
export function grantablePermissions<P extends { code: string }>(
  access: Access,
  catalogue: P[],
): P[] {
  return catalogue.filter((permission) => can(access, permission.code))
}
