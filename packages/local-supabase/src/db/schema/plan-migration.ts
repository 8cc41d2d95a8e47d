import {
  type Catalog,
  type CatalogEntry,
  type EntryKind,
  entryKey,
} from '#src/db/schema/catalog.ts'
import {
  alteredTable,
  createdObject,
  normalizeName,
  type SqlStatement,
} from '#src/db/schema/sql-statements.ts'

export type Difference = {
  kind: EntryKind
  id: string
  change: 'added' | 'removed' | 'changed'
  /** In the database built from the migrations (the deployed one). */
  from?: CatalogEntry
  /** In the database built from the SQL packages (the source of truth). */
  to?: CatalogEntry
}

/** Every object that differs between the deployed schema and the packages' schema. */
export function compareCatalogs(deployed: Catalog, wanted: Catalog): Difference[] {
  const differences: Difference[] = []
  for (const [key, to] of wanted) {
    const from = deployed.get(key)
    if (!from) differences.push({ kind: to.kind, id: to.id, change: 'added', to })
    else if (from.def !== to.def)
      differences.push({ kind: to.kind, id: to.id, change: 'changed', from, to })
  }
  for (const [key, from] of deployed) {
    if (!wanted.has(key))
      differences.push({ kind: from.kind, id: from.id, change: 'removed', from })
  }
  return differences.sort((a, b) => `${a.kind} ${a.id}`.localeCompare(`${b.kind} ${b.id}`))
}

export function describeDifference(d: Difference): string {
  const where =
    d.change === 'added'
      ? 'in the SQL packages, not in the migrations'
      : d.change === 'removed'
        ? 'in the migrations, no longer in the SQL packages'
        : 'defined differently in the SQL packages and in the migrations'
  return `${d.kind} ${d.id}: ${where}`
}

export type MigrationPlan = {
  /** The statements of the new migration; empty when the migrations are up to date. */
  statements: string[]
  /** Changes to state (tables, columns, data) that need a migration written by hand. */
  blockers: string[]
}

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`

/**
 * Plans the migration that brings a database built from the migrations to the state of the SQL
 * packages. Definitions that can be re-created (functions, views, triggers, policies, grants,
 * comments, owners, indexes, row level security) are rendered from the packages' catalog. New
 * schemas, types, sequences and tables are taken from their statements in the packages. Changes
 * to existing state (columns, constraints, removed tables, changed data) are not guessed: they
 * are reported, to be written as a migration (`pnpm db:new`).
 */
export function planMigration(
  deployed: Catalog,
  wanted: Catalog,
  sources: SqlStatement[],
): MigrationPlan {
  const differences = compareCatalogs(deployed, wanted)
  const blockers: string[] = []
  const out: Record<
    'create' | 'index' | 'function' | 'data' | 'attach' | 'grant' | 'drop',
    string[]
  > = {
    create: [],
    index: [],
    function: [],
    data: [],
    attach: [],
    grant: [],
    drop: [],
  }
  const added = (kind: EntryKind) =>
    new Set(differences.filter((d) => d.kind === kind && d.change === 'added').map((d) => d.id))
  const newTables = added('table')
  const newSchemas = added('schema')
  const tableOfColumn = (id: string) => id.split('.').slice(0, 2).join('.')

  // New stateful objects: their own statements from the packages, in source order.
  const wantedObjects = new Set<string>()
  for (const kind of ['schema', 'extension', 'type', 'sequence', 'table'] as const) {
    for (const id of added(kind)) wantedObjects.add(`${kind} ${id}`)
  }
  const emittedObjects = new Set<string>()
  for (const statement of sources) {
    const created = createdObject(statement)
    if (created && wantedObjects.has(`${created.kind} ${created.name}`)) {
      out.create.push(statement.text)
      emittedObjects.add(`${created.kind} ${created.name}`)
      continue
    }
    const table = alteredTable(statement)
    if (table && newTables.has(table)) {
      out.create.push(statement.text)
      continue
    }
    const schema =
      /^alter\s+default\s+privileges\s+(?:for\s+(?:role|user)\s+\S+\s+)?in\s+schema\s+(\S+)/i.exec(
        statement.text,
      )?.[1]
    if (schema && newSchemas.has(normalizeName(schema))) out.create.push(statement.text)
  }
  for (const object of wantedObjects) {
    if (!emittedObjects.has(object)) {
      blockers.push(
        `${object}: in the SQL packages, but its create statement was not found there; write it as a migration`,
      )
    }
  }

  // Functions re-created with a new signature lose their grants, owner and comment.
  const recreated = new Set<string>()
  const deployedHas = (kind: EntryKind, id: string) => deployed.has(entryKey(kind, id))

  for (const d of differences) {
    const to = d.to?.sql ?? {}
    const from = d.from?.sql ?? {}
    switch (d.kind) {
      case 'schema':
      case 'extension':
      case 'type':
      case 'sequence':
      case 'table':
        if (d.change !== 'added') blockers.push(stateBlocker(d))
        break
      case 'column':
        if (!newTables.has(tableOfColumn(d.id))) blockers.push(columnBlocker(d))
        break
      case 'constraint':
        if (!newTables.has(tableOfColumn(d.id))) {
          const suggestion =
            d.change === 'removed'
              ? `alter table ${from.table} drop constraint ${from.name};`
              : `alter table ${to.table} ${d.change === 'changed' ? `drop constraint ${to.name}, ` : ''}add constraint ${to.name} ${to.def};`
          blockers.push(`${describeDifference(d)}\n    e.g. ${suggestion}`)
        }
        break
      case 'default privileges':
        if (!(d.change === 'added' && newSchemas.has(to.schema ?? '')))
          blockers.push(stateBlocker(d))
        break
      case 'data': {
        const have = new Set(d.from ? (JSON.parse(d.from.def) as string[]) : [])
        const want = new Set(d.to ? (JSON.parse(d.to.def) as string[]) : [])
        const missing = [...have].filter((key) => !want.has(key))
        if (missing.length > 0) {
          blockers.push(
            `data ${d.id}: rows in the migrations that the SQL packages no longer insert or that changed; delete or update them in a migration:\n    ${missing.join('\n    ')}`,
          )
        }
        if (d.to) {
          const rows = JSON.parse(to.rows ?? '[]') as { key: string; full: unknown }[]
          for (const row of rows.filter((r) => !have.has(r.key))) {
            out.data.push(
              `insert into ${to.table} (${to.columns})\nselect ${to.columns} from jsonb_populate_record(null::${to.table}, ${literal(JSON.stringify(row.full))})\non conflict do nothing`,
            )
          }
        }
        break
      }
      case 'index':
        if (d.change !== 'added') out.index.push(`drop index if exists ${from.name}`)
        if (d.change !== 'removed') out.index.push(to.def ?? '')
        break
      case 'view':
        if (d.change === 'removed') out.drop.push(`drop view if exists ${from.name}`)
        else {
          out.function.push(
            `create or replace view ${to.name}${to.options ? ` with (${to.options})` : ''} as\n${(to.def ?? '').replace(/;\s*$/, '')}`,
          )
        }
        break
      case 'function':
        if (d.change === 'removed') out.drop.push(`drop ${from.keyword} if exists ${from.name}`)
        else {
          if (d.change === 'changed' && from.signature !== to.signature) {
            out.function.push(`drop ${from.keyword} ${from.name}`)
            recreated.add(d.id)
          }
          out.function.push((to.def ?? '').trimEnd())
        }
        break
      case 'trigger':
        if (d.change !== 'added' || deployedHas('table', tableOfColumn(d.id))) {
          out.attach.push(
            `drop trigger if exists ${(d.to ?? d.from)?.sql.name} on ${(d.to ?? d.from)?.sql.table}`,
          )
        }
        if (d.change !== 'removed') {
          out.attach.push(to.def ?? '')
          const state: Record<string, string> = {
            D: 'disable',
            R: 'enable replica',
            A: 'enable always',
          }
          if (to.enabled && state[to.enabled]) {
            out.attach.push(`alter table ${to.table} ${state[to.enabled]} trigger ${to.name}`)
          }
        }
        break
      case 'policy':
        if (d.change !== 'added')
          out.attach.push(`drop policy if exists ${from.name} on ${from.table}`)
        if (d.change !== 'removed') {
          out.attach.push(
            [
              `create policy ${to.name} on ${to.table} as ${to.as} for ${to.for} to ${to.to}`,
              to.using ? `  using (${to.using})` : '',
              to.check ? `  with check (${to.check})` : '',
            ]
              .filter(Boolean)
              .join('\n'),
          )
        }
        break
      case 'row level security':
        // A new table's own statements enable it.
        if (d.change !== 'removed' && d.to && !newTables.has(d.id)) {
          const state = JSON.parse(d.to.def) as { enabled: boolean; forced: boolean }
          out.attach.push(
            `alter table ${to.name} ${state.enabled ? 'enable' : 'disable'} row level security`,
          )
          if (state.forced || d.change === 'changed') {
            out.attach.push(
              `alter table ${to.name} ${state.forced ? 'force' : 'no force'} row level security`,
            )
          }
        }
        break
      case 'owner':
      case 'privileges':
      case 'comment':
        break
    }
  }

  // Owners, grants and comments: for what changed, and for functions re-created above.
  const touchedFunction = (id: string) =>
    [...recreated].some((f) => id.endsWith(` ${f}`) || id === f)
  for (const [key, to] of wanted) {
    if (!['owner', 'privileges', 'comment'].includes(to.kind)) continue
    const from = deployed.get(key)
    const changed = !from || from.def !== to.def || touchedFunction(to.id)
    if (!changed) continue
    if (to.kind === 'owner') {
      if (from || to.def !== 'postgres')
        out.grant.push(`alter ${to.sql.target} owner to ${quoteRole(to.def)}`)
    } else if (to.kind === 'privileges') {
      out.grant.push(...renderPrivileges(from, to, wanted.get(entryKey('owner', to.id))?.def))
    } else {
      out.grant.push(`comment on ${to.sql.target} is ${literal(to.sql.text ?? '')}`)
    }
  }
  for (const [key, from] of deployed) {
    if (from.kind !== 'comment' || wanted.has(key)) continue
    // The comment was removed from an object that still exists.
    const objectStillThere = [...wanted.values()].some(
      (e) => e.kind !== 'comment' && from.id.endsWith(` ${e.id}`),
    )
    if (objectStillThere) out.grant.push(`comment on ${from.sql.target} is null`)
  }

  // Removed definitions go last, once nothing re-created above depends on them.
  out.drop.sort((a, b) => dropRank(a) - dropRank(b))

  const statements = [
    ...out.create,
    ...out.index,
    ...out.function,
    ...out.data,
    ...out.attach,
    ...out.grant,
    ...out.drop,
  ].filter((s) => s.trim())
  return { statements, blockers }
}

const dropRank = (statement: string) =>
  statement.startsWith('drop policy')
    ? 0
    : statement.startsWith('drop trigger')
      ? 1
      : statement.startsWith('drop view')
        ? 2
        : 3

const quoteRole = (role: string) =>
  /^[a-z_][a-z0-9_]*$/.test(role) ? role : `"${role.replaceAll('"', '""')}"`

// Everything a table's or a function's owner holds by default; not worth spelling out.
const OWNER_DEFAULTS: Record<string, string[]> = {
  table: ['DELETE', 'INSERT', 'MAINTAIN', 'REFERENCES', 'SELECT', 'TRIGGER', 'TRUNCATE', 'UPDATE'],
  function: ['EXECUTE'],
  procedure: ['EXECUTE'],
  sequence: ['SELECT', 'UPDATE', 'USAGE'],
  schema: ['CREATE', 'USAGE'],
  type: ['USAGE'],
  domain: ['USAGE'],
}

function renderPrivileges(
  from: CatalogEntry | undefined,
  to: CatalogEntry,
  owner: string | undefined,
): string[] {
  const byGrantee = (def: string | undefined) => {
    const map = new Map<string, string[]>()
    for (const grant of def ? (JSON.parse(def) as string[]) : []) {
      const [grantee = '', privilege = ''] = grant.split(':')
      map.set(grantee, [...(map.get(grantee) ?? []), privilege])
    }
    return map
  }
  const wanted = byGrantee(to.def)
  const previous = byGrantee(from?.def)
  const keyword = to.sql.column ? 'table' : ((to.sql.target ?? '').split(' ')[0] ?? '')
  const ownerDefaults = (OWNER_DEFAULTS[keyword] ?? []).join(',')
  const isOwnerDefault = (grantee: string, privileges: string[] | undefined) =>
    grantee === owner && [...(privileges ?? [])].sort().join(',') === ownerDefaults
  const grantees = new Set([...wanted.keys(), ...previous.keys()])
  // A new function is executable by public until revoked (PostgreSQL's default).
  if (!from && (keyword === 'function' || keyword === 'procedure')) grantees.add('public')
  const on = to.sql.column ? `on table ${to.sql.table}` : `on ${to.sql.target}`
  const columns = to.sql.column ? ` (${to.sql.column})` : ''
  const revoke = [...grantees].filter(
    (g) =>
      !(
        isOwnerDefault(g, wanted.get(g)) &&
        (!previous.has(g) || isOwnerDefault(g, previous.get(g)))
      ),
  )
  const lines = revoke.length
    ? [`revoke all${columns} ${on} from ${revoke.map(quoteRole).join(', ')}`]
    : []
  for (const [grantee, privileges] of wanted) {
    if (!revoke.includes(grantee)) continue
    const plain = privileges.filter((p) => !p.endsWith('*')).map((p) => p.toLowerCase())
    const withOption = privileges
      .filter((p) => p.endsWith('*'))
      .map((p) => p.slice(0, -1).toLowerCase())
    const list = (items: string[]) => items.map((p) => `${p}${columns}`).join(', ')
    if (plain.length) lines.push(`grant ${list(plain)} ${on} to ${quoteRole(grantee)}`)
    if (withOption.length) {
      lines.push(`grant ${list(withOption)} ${on} to ${quoteRole(grantee)} with grant option`)
    }
  }
  return lines
}

function stateBlocker(d: Difference): string {
  const hint =
    d.change === 'removed'
      ? 'drop it in a migration if that is really wanted (it holds data)'
      : 'change it in a migration'
  return `${describeDifference(d)}; ${hint}`
}

function columnBlocker(d: Difference): string {
  const to = d.to?.sql ?? {}
  const from = d.from?.sql ?? {}
  let suggestion: string
  if (d.change === 'added') {
    suggestion = `alter table ${to.table} add column ${to.column} ${to.type}${to.default ? ` default ${to.default}` : ''}${to.notnull ? ' not null' : ''};`
  } else if (d.change === 'removed') {
    suggestion = `alter table ${from.table} drop column ${from.column};`
  } else {
    const parts: string[] = []
    if (from.type !== to.type) parts.push(`alter column ${to.column} type ${to.type}`)
    if (from.default !== to.default) {
      parts.push(
        to.default
          ? `alter column ${to.column} set default ${to.default}`
          : `alter column ${to.column} drop default`,
      )
    }
    if (from.notnull !== to.notnull) {
      parts.push(`alter column ${to.column} ${to.notnull ? 'set' : 'drop'} not null`)
    }
    suggestion = parts.length
      ? `alter table ${to.table} ${parts.join(', ')};`
      : `(identity or generated expression changed) alter table ${to.table} ...;`
  }
  return `${describeDifference(d)}\n    e.g. ${suggestion}`
}
