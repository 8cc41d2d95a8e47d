/**
 * The viewer's place in one organization, as the database computes it (get_my_access). Used
 * on the server and in components to offer only what the viewer may do; the database still
 * refuses the rest.
 */
export type Access = {
  roleId: string
  roleName: string
  isOwner: boolean
  permissions: string[]
  /** Every role strictly below the viewer's: the roles they may assign, invite to and manage. */
  rolesBelow: string[]
}

export function can(access: Access, permission: string): boolean {
  return access.permissions.includes(permission)
}

/** Roles the viewer may give to someone (invite, assign): strictly below their own. */
export function isBelowMe(access: Access, roleId: string | null | undefined): boolean {
  return !!roleId && access.rolesBelow.includes(roleId)
}
