import type { GraphRole } from './role-graph-layout.ts'

/** One role of the organization as the roles screen uses it (from list_roles). */
export type RoleRow = GraphRole & {
  name: string
  description: string | null
  /** Granted to this role itself. */
  permissions: string[]
  /** Its own and those of every role below it. */
  effectivePermissions: string[]
}

export type PermissionOption = { code: string; description: string }
