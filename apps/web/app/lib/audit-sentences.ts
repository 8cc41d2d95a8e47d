/**
 * Audit entries in words: "Ann changed the visibility of deal 'Q3 renewal' from private to
 * controlled". The database decides what the reader may see (list_audit_entries hides values
 * and titles of records they cannot read); this only writes the sentence from what it returned.
 */

export type AuditEntry = {
  actorId: string | null
  actorName: string | null
  actorEmail: string | null
  targetTable: string
  targetLabel: string | null
  action: string
  /** insert: the new row; update: {column: {old, new}}; null when the reader may not see values. */
  changes: Record<string, unknown> | null
  /** Names of the people, roles and units the changes refer to, by id. */
  names: Record<string, string | null>
}

/** The tables an organization's trail is about, as the audit page's filter offers them. */
export const AUDIT_TARGETS: Array<{ table: string; label: string }> = [
  { table: 'app.deals', label: 'Deals' },
  { table: 'core.memberships', label: 'Members' },
  { table: 'core.invitations', label: 'Invitations' },
  { table: 'core.roles', label: 'Roles' },
  { table: 'rbac.role_edges', label: 'Role hierarchy' },
  { table: 'rbac.role_permissions', label: 'Role permissions' },
  { table: 'core.units', label: 'Units' },
  { table: 'core.unit_memberships', label: 'Unit members' },
  { table: 'core.organizations', label: 'Organization' },
  { table: 'core.organizations_meta', label: 'Organization profile' },
  { table: 'core.organization_files', label: 'Files' },
]

/** Record tables of the access engine, by table: the noun a sentence uses. */
const RECORD_NOUNS: Record<string, string> = { 'app.deals': 'deal' }

const FIELD_NAMES: Record<string, string> = {
  owner_id: 'owner',
  owner_role_id: "owner's role",
  role_id: 'role',
  unit_id: 'unit',
  is_deleted: 'deletion',
}

type Change = { old: unknown; new: unknown }

function isChange(value: unknown): value is Change {
  return !!value && typeof value === 'object' && 'old' in value && 'new' in value
}

export function actorOf(entry: Pick<AuditEntry, 'actorId' | 'actorName' | 'actorEmail'>): string {
  if (entry.actorName) return entry.actorName
  if (entry.actorEmail) return entry.actorEmail
  return entry.actorId ? 'A former member' : 'The system'
}

export function describeAuditEntry(entry: AuditEntry): string {
  const actor = actorOf(entry)
  const changes = entry.changes ?? {}
  const name = (id: unknown, fallback: string): string =>
    typeof id === 'string' ? (entry.names[id] ?? fallback) : fallback
  const changed = (key: string): Change | undefined =>
    isChange(changes[key]) ? (changes[key] as Change) : undefined
  const value = (key: string, raw: unknown): string => {
    if (raw === null || raw === undefined || raw === '') return 'nothing'
    if (key.endsWith('_id')) return name(raw, 'someone removed since')
    if (typeof raw === 'string') return key === 'title' || key === 'name' ? `'${raw}'` : raw
    return String(raw)
  }
  const field = (key: string) => FIELD_NAMES[key] ?? key.replaceAll('_', ' ')
  const list = (items: string[]) =>
    items.length <= 1
      ? (items[0] ?? '')
      : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
  const updatedFields = () => Object.keys(changes).filter((k) => isChange(changes[k]))

  const record = RECORD_NOUNS[entry.targetTable]
  if (record) {
    const subject = entry.targetLabel ? `${record} '${entry.targetLabel}'` : `a ${record}`
    if (entry.action === 'insert') return `${actor} created ${subject}`
    if (entry.action === 'soft_delete' || entry.action === 'delete')
      return `${actor} deleted ${subject}`
    if (entry.action === 'restore') return `${actor} restored ${subject}`
    const fields = updatedFields()
    const only = fields.length === 1 ? fields[0] : undefined
    const single = only ? changed(only) : undefined
    if (only && single) {
      return `${actor} changed the ${field(only)} of ${subject} from ${value(only, single.old)} to ${value(only, single.new)}`
    }
    if (fields.length) return `${actor} changed the ${list(fields.map(field))} of ${subject}`
    return `${actor} changed ${subject}`
  }

  switch (entry.targetTable) {
    case 'core.memberships': {
      const member = entry.targetLabel ?? 'a member'
      const self = !!entry.targetLabel && entry.targetLabel === entry.actorName
      if (entry.action === 'insert') {
        const role = name(changes.role_id, 'a role')
        return !entry.actorId || self || changes.user_id === entry.actorId
          ? `${member} joined as ${role}`
          : `${actor} added ${member} as ${role}`
      }
      if (entry.action === 'soft_delete' || entry.action === 'delete') {
        return self
          ? `${member} left the organization`
          : `${actor} removed ${member} from the organization`
      }
      if (entry.action === 'restore') return `${actor} brought ${member} back into the organization`
      const role = changed('role_id')
      if (role) {
        return `${actor} changed the role of ${member} from ${name(role.old, 'a former role')} to ${name(role.new, 'a role')}`
      }
      return `${actor} changed the membership of ${member}`
    }
    case 'core.invitations': {
      const email = entry.targetLabel ?? 'someone'
      if (entry.action === 'insert') {
        return `${actor} invited ${email} as ${name(changes.role_id, 'a role')}`
      }
      const status = changed('status')
      if (status?.new === 'revoked') return `${actor} cancelled the invitation of ${email}`
      if (status?.new === 'accepted') return `${email} accepted the invitation`
      if (status?.new === 'expired') return `The invitation of ${email} expired`
      if (changed('token_hash') || changed('expires_at'))
        return `${actor} resent the invitation to ${email}`
      return `${actor} changed the invitation of ${email}`
    }
    case 'core.roles': {
      const label =
        entry.targetLabel ?? (changes.label as string) ?? (changes.name as string) ?? 'a role'
      if (entry.action === 'insert') {
        const created = (changes.label as string) ?? (changes.name as string) ?? label
        return `${actor} created the role ${created}`
      }
      if (entry.action === 'delete' || entry.action === 'soft_delete')
        return `${actor} deleted the role ${label}`
      const renamed = changed('label') ?? changed('name')
      if (renamed) return `${actor} renamed the role ${renamed.old} to ${renamed.new}`
      return `${actor} changed the role ${label}`
    }
    case 'rbac.role_edges': {
      const child = name(changes.child_role_id, 'a role')
      const parent = name(changes.parent_role_id, 'a role')
      return entry.action === 'delete'
        ? `${actor} removed the role ${child} from under ${parent}`
        : `${actor} placed the role ${child} under ${parent}`
    }
    case 'rbac.role_permissions': {
      const role = name(changes.role_id, 'a role')
      const permission =
        typeof changes.permission === 'string' ? changes.permission : 'a permission'
      return entry.action === 'delete'
        ? `${actor} took ${permission} from the role ${role}`
        : `${actor} granted ${permission} to the role ${role}`
    }
    case 'core.units': {
      const unit = entry.targetLabel ?? (changes.name as string) ?? 'a unit'
      if (entry.action === 'insert') return `${actor} created the unit ${unit}`
      if (entry.action === 'soft_delete' || entry.action === 'delete')
        return `${actor} deleted the unit ${unit}`
      const renamed = changed('name')
      if (renamed) return `${actor} renamed the unit ${renamed.old} to ${renamed.new}`
      return `${actor} changed the unit ${unit}`
    }
    case 'core.unit_memberships': {
      const member = entry.targetLabel ?? name(changes.user_id, 'a member')
      const unit = name(changes.unit_id, 'a unit')
      if (entry.action === 'insert')
        return `${actor} added ${member} to the unit ${unit} as ${name(changes.role_id, 'a role')}`
      if (entry.action === 'soft_delete' || entry.action === 'delete')
        return `${actor} removed ${member} from a unit`
      const role = changed('role_id')
      if (role)
        return `${actor} changed the unit role of ${member} from ${name(role.old, 'a role')} to ${name(role.new, 'a role')}`
      return `${actor} changed a unit membership of ${member}`
    }
    case 'core.organizations': {
      if (entry.action === 'insert') {
        // The name it was created with, not today's.
        const created = typeof changes.name === 'string' ? changes.name : entry.targetLabel
        return `${actor} created the organization ${created ?? ''}`.trim()
      }
      if (entry.action === 'soft_delete') return `${actor} deleted the organization`
      if (entry.action === 'restore') return `${actor} restored the organization`
      const parts: string[] = []
      const renamed = changed('name')
      const moved = changed('slug')
      if (renamed) parts.push(`renamed the organization from ${renamed.old} to ${renamed.new}`)
      if (moved) parts.push(`changed the organization's address from ${moved.old} to ${moved.new}`)
      if (changed('description')) parts.push("changed the organization's description")
      return parts.length ? `${actor} ${list(parts)}` : `${actor} changed the organization`
    }
    case 'core.organizations_meta': {
      if (entry.action === 'insert') return `${actor} set up the organization's profile`
      const logo = changed('logo_file_id')
      if (logo) {
        return logo.new
          ? `${actor} changed the organization's logo`
          : `${actor} removed the organization's logo`
      }
      const fields = updatedFields()
      return `${actor} changed the organization's ${fields.length ? list(fields.map(field)) : 'profile'}`
    }
    case 'core.organization_files': {
      if (entry.action === 'insert' && changes.bucket_id === 'logos') {
        return `${actor} uploaded a new logo`
      }
      // A file of a record: the record's title comes only to readers of the record.
      const noun =
        typeof changes.record_table === 'string' ? RECORD_NOUNS[changes.record_table] : null
      const of = entry.targetLabel && noun ? ` of ${noun} '${entry.targetLabel}'` : ''
      const file = fileName(changes)
      if (entry.action === 'insert')
        return file ? `${actor} added the file ${file}${of}` : `${actor} added a file${of}`
      if (entry.action === 'soft_delete' || entry.action === 'delete')
        return `${actor} removed a file${of}`
      return `${actor} changed a file${of}`
    }
    default: {
      const verbs: Record<string, string> = {
        insert: 'created',
        update: 'changed',
        delete: 'deleted',
        soft_delete: 'deleted',
        restore: 'restored',
      }
      return `${actor} ${verbs[entry.action] ?? entry.action} a row of ${entry.targetTable}`
    }
  }
}

/** The file name of an organization file's object (the last segment of its name). */
function fileName(changes: Record<string, unknown>): string | null {
  const name = changes.object_name
  return typeof name === 'string' ? (name.split('/').pop() ?? null) : null
}
