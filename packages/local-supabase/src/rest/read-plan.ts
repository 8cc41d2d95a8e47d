import { RestError } from '#src/rest/errors.ts'
import {
  type LogicTree,
  type OrderTerm,
  parseFieldKey,
  parseFilterValue,
  parseLogic,
  parseOrder,
  parseSelect,
  type SelectItem,
} from '#src/rest/grammar.ts'
import {
  findRelationship,
  isToOne,
  type QualifiedName,
  type Relationship,
} from '#src/rest/relationships.ts'
import type { Column, Relation, RestFunction, SchemaCache } from '#src/rest/schema-cache.ts'

/**
 * The read plan of a request: a tree of nodes (the target, then one node per embedded
 * resource), each with its select items, filters, order and range taken from the query string
 * by embed path (`messages.order=id.desc`), as PostgREST's Plan.hs builds its ReadPlanTree.
 */
export type ReadNode = {
  /** The name used in the request (relation, function or column name). */
  name: string
  alias?: string
  /** Columns and computed fields are looked up here. */
  columns: Column[]
  relation: QualifiedName
  select: SelectItem[]
  relationship?: Relationship
  spread: boolean
  inner: boolean
  filters: LogicTree[]
  /** `embed=is.null` / `embed=not.is.null` filters on children (anti/semi joins). */
  nullFilters: { child: ReadNode; isNull: boolean }[]
  order: OrderTerm[]
  limit?: number
  offset?: number
  children: ReadNode[]
}

/** Query parameters that are not filters. */
const RESERVED = new Set(['select', 'columns', 'on_conflict'])
const MODIFIERS = new Set(['order', 'limit', 'offset'])

export type PlanSource = { relation: QualifiedName; columns: Column[]; name: string }

export function buildReadPlan(
  cache: SchemaCache,
  source: PlanSource,
  query: URLSearchParams,
  options: { ignore?: Set<string>; selectText?: string } = {},
): ReadNode {
  const selectText = options.selectText ?? query.get('select') ?? '*'
  const root = node(cache, source, parseSelect(selectText), undefined)
  for (const [key, value] of query) {
    if (RESERVED.has(key) || options.ignore?.has(key)) continue
    applyParam(root, key, value)
  }
  return root
}

function node(
  cache: SchemaCache,
  source: PlanSource,
  select: SelectItem[],
  from: { item: Extract<SelectItem, { kind: 'embed' }>; relationship: Relationship } | undefined,
): ReadNode {
  const result: ReadNode = {
    name: from?.item.name ?? source.name,
    alias: from?.item.alias,
    columns: source.columns,
    relation: source.relation,
    select,
    relationship: from?.relationship,
    spread: from?.item.spread ?? false,
    inner: from?.item.joinType === 'inner',
    filters: [],
    nullFilters: [],
    order: [],
    children: [],
  }
  for (const item of select) {
    if (item.kind !== 'embed') continue
    const relationship = findRelationship(cache, source.relation, item.name, item.hint)
    if (item.spread && !isToOne(relationship) && relationship.kind !== 'fk') {
      // PostgREST spreads to-many relationships as arrays; supported below for fk/m2m too.
    }
    const target = cache.relations.find(
      (r) => r.schema === relationship.target.schema && r.name === relationship.target.name,
    ) as Relation
    result.children.push(
      node(
        cache,
        { relation: relationship.target, columns: target.columns, name: target.name },
        item.select.length ? item.select : [{ kind: 'star' }],
        { item, relationship },
      ),
    )
  }
  return result
}

/** Splits `a.b."c.d"` on dots outside double quotes. */
function splitPath(key: string): string[] {
  const parts: string[] = []
  let current = ''
  let quoted = false
  let depth = 0
  for (const ch of key) {
    if (ch === '"') quoted = !quoted
    if (!quoted && ch === '(') depth++
    if (!quoted && ch === ')') depth--
    if (ch === '.' && !quoted && depth === 0) {
      parts.push(current)
      current = ''
    } else current += ch
  }
  parts.push(current)
  return parts
}

function findChild(parent: ReadNode, name: string): ReadNode | undefined {
  return (
    parent.children.find((c) => c.alias === name) ??
    parent.children.find((c) => !c.alias && c.name === name) ??
    parent.children.find((c) => c.name === name)
  )
}

function notEmbedded(name: string) {
  return new RestError(
    400,
    'PGRST108',
    `'${name}' is not an embedded resource in this request`,
    null,
    `Verify that '${name}' is included in the 'select' query parameter.`,
  )
}

function applyParam(root: ReadNode, key: string, value: string) {
  const path = splitPath(key)
  // `not.or` / `not.and` at any level
  let negateLogic = false
  if (path.length >= 2 && path[path.length - 2] === 'not' && /^(or|and)$/.test(path.at(-1) ?? '')) {
    negateLogic = true
    path.splice(path.length - 2, 1)
  }
  const last = path.pop() as string
  let target = root
  for (const name of path) {
    const child = findChild(target, name)
    if (!child) throw notEmbedded(name)
    target = child
  }
  if (last === 'or' || last === 'and') {
    target.filters.push(parseLogic(last, negateLogic, value))
    return
  }
  if (MODIFIERS.has(last)) {
    if (last === 'order') target.order = parseOrder(value)
    else {
      if (!/^-?\d+$/.test(value.trim())) {
        throw new RestError(
          400,
          'PGRST100',
          `"failed to parse ${last} parameter (${value})"`,
          `unexpected "${value}" expecting digit`,
        )
      }
      const n = Number(value)
      if (last === 'limit') {
        if (n < 0)
          throw new RestError(
            416,
            'PGRST103',
            'Requested range not satisfiable',
            'Limit should be greater than or equal to zero.',
          )
        target.limit = n
      } else target.offset = Math.max(n, 0)
    }
    return
  }
  // `embed=is.null`: a filter on the presence of an embedded resource.
  const embedded = findChild(target, last)
  const field = parseFieldKey(last)
  const parsed = parseFilterValue(key, value)
  if (embedded && !target.columns.some((c) => c.name === field.name)) {
    if (parsed.operation.kind !== 'is' || !['null', 'not_null'].includes(parsed.operation.value)) {
      throw new RestError(
        400,
        'PGRST120',
        `Bad operator on the '${last}' embedded resource`,
        'Only is null or not is null filters are allowed on embedded resources',
      )
    }
    const isNull = (parsed.operation.value === 'null') !== parsed.negate
    target.nullFilters.push({ child: embedded, isNull })
    return
  }
  target.filters.push({ kind: 'filter', filter: { field, ...parsed } })
}

/** Functions usable as computed fields of a relation: f(row) returning a scalar. */
export function computedField(
  cache: SchemaCache,
  relation: QualifiedName,
  name: string,
): RestFunction | undefined {
  const rel = cache.relations.find((r) => r.schema === relation.schema && r.name === relation.name)
  if (!rel) return undefined
  return cache.rowFunctions.find(
    (f) =>
      f.name === name &&
      f.args.length === 1 &&
      f.args[0]?.typeOid === rel.typeOid &&
      f.schema === relation.schema,
  )
}
