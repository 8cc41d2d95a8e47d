import pg from 'pg'
import { RestError } from '#src/rest/errors.ts'
import type { Column } from '#src/rest/schema-cache.ts'

/** Collects parameter values; SQL text only ever holds $n placeholders and quoted identifiers. */
export class Params {
  readonly values: unknown[] = []
  add(value: unknown): string {
    this.values.push(value)
    return `$${this.values.length}`
  }
}

const RESERVED = new Set([
  'select',
  'order',
  'limit',
  'offset',
  'on_conflict',
  'columns',
  'or',
  'and',
])
const IDENT = /^[A-Za-z_][A-Za-z0-9_$]*$/

export function quoteColumn(name: string, columns: Column[]): string {
  if (!IDENT.test(name) || !columns.some((c) => c.name === name)) {
    throw new RestError(400, '42703', `column "${name}" does not exist`)
  }
  return pg.escapeIdentifier(name)
}

/** `select=` → a column list: `*`, `col`, `alias:col`, `col::type`. Embedding is not supported. */
export function selectList(select: string | undefined, columns: Column[]): string {
  if (!select || select === '*') return '*'
  return splitTopLevel(select)
    .map((item) => {
      if (item === '*') return '*'
      if (item.includes('(')) {
        throw new RestError(
          400,
          'PGRST200',
          'Resource embedding is not supported by the local stack',
          null,
          null,
        )
      }
      const match =
        /^(?:([A-Za-z_][A-Za-z0-9_]*):)?([A-Za-z_][A-Za-z0-9_]*)(?:::([a-z][a-z0-9_ ]*(?:\[\])?))?$/.exec(
          item,
        )
      if (!match)
        throw new RestError(400, 'PGRST100', `failed to parse select parameter (${select})`)
      const [, alias, name, cast] = match
      const column = quoteColumn(name as string, columns)
      const expression = cast ? `${column}::${castType(cast)}` : column
      return alias ? `${expression} as ${pg.escapeIdentifier(alias)}` : expression
    })
    .join(', ')
}

const CASTS = new Set([
  'text',
  'integer',
  'int',
  'bigint',
  'numeric',
  'boolean',
  'json',
  'jsonb',
  'uuid',
  'date',
  'timestamptz',
])
function castType(cast: string): string {
  if (!CASTS.has(cast)) throw new RestError(400, 'PGRST100', `unsupported cast ${cast}`)
  return cast
}

/** Splits on commas outside parentheses and double quotes. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quoted = false
  let current = ''
  for (const ch of text) {
    if (ch === '"') quoted = !quoted
    if (!quoted && ch === '(') depth++
    if (!quoted && ch === ')') depth--
    if (!quoted && depth === 0 && ch === ',') {
      parts.push(current)
      current = ''
    } else current += ch
  }
  if (current) parts.push(current)
  return parts.map((p) => p.trim()).filter(Boolean)
}

const OPERATORS: Record<string, string> = {
  eq: '=',
  neq: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  like: 'like',
  ilike: 'ilike',
}

/** One filter `op.value` (with optional `not.`) on a column. */
function condition(column: string, expression: string, columns: Column[], params: Params): string {
  const quoted = quoteColumn(column, columns)
  let rest = expression
  let negate = false
  if (rest.startsWith('not.')) {
    negate = true
    rest = rest.slice(4)
  }
  const dot = rest.indexOf('.')
  if (dot < 0) throw new RestError(400, 'PGRST100', `failed to parse filter (${expression})`)
  const op = rest.slice(0, dot)
  const value = rest.slice(dot + 1)
  let sql: string
  if (op in OPERATORS) {
    sql =
      op === 'like' || op === 'ilike'
        ? `${quoted}::text ${OPERATORS[op]} ${params.add(value.replaceAll('*', '%'))}`
        : `${quoted} ${OPERATORS[op]} ${params.add(value)}::${typeOf(column, columns)}`
  } else if (op === 'is') {
    const allowed: Record<string, string> = {
      null: 'null',
      true: 'true',
      false: 'false',
      unknown: 'unknown',
    }
    const keyword = allowed[value.toLowerCase()]
    if (!keyword) throw new RestError(400, 'PGRST100', `failed to parse filter (${expression})`)
    sql = `${quoted} is ${keyword}`
  } else if (op === 'in') {
    const match = /^\((.*)\)$/.exec(value)
    if (!match) throw new RestError(400, 'PGRST100', `failed to parse filter (${expression})`)
    const items = splitTopLevel(match[1] ?? '').map((item) => item.replace(/^"(.*)"$/, '$1'))
    sql = `${quoted} = any (${params.add(items)}::${typeOf(column, columns)}[])`
  } else if (op === 'cs' || op === 'cd') {
    sql = `${quoted} ${op === 'cs' ? '@>' : '<@'} ${params.add(value)}::${typeOf(column, columns)}`
  } else {
    throw new RestError(400, 'PGRST100', `unknown operator ${op}`)
  }
  return negate ? `not (${sql})` : sql
}

function typeOf(column: string, columns: Column[]): string {
  const type = columns.find((c) => c.name === column)?.type ?? 'text'
  // format_type output is safe SQL for a cast (it comes from the catalog, not the request).
  return type
}

/** `or=(a.eq.1,and(b.gt.2,c.is.null))` */
function logical(kind: 'or' | 'and', body: string, columns: Column[], params: Params): string {
  const match = /^\((.*)\)$/.exec(body)
  if (!match) throw new RestError(400, 'PGRST100', `failed to parse logic tree (${body})`)
  const parts = splitTopLevel(match[1] ?? '').map((part) => {
    const nested = /^(not\.)?(or|and)(\(.*\))$/.exec(part)
    if (nested) {
      const inner = logical(nested[2] as 'or' | 'and', nested[3] as string, columns, params)
      return nested[1] ? `not ${inner}` : inner
    }
    const dot = part.indexOf('.')
    return condition(part.slice(0, dot), part.slice(dot + 1), columns, params)
  })
  if (parts.length === 0)
    throw new RestError(400, 'PGRST100', `failed to parse logic tree (${body})`)
  return `(${parts.join(kind === 'or' ? ' or ' : ' and ')})`
}

/** The WHERE conditions of a request's query string. */
export function whereClause(query: URLSearchParams, columns: Column[], params: Params): string[] {
  const conditions: string[] = []
  for (const [key, value] of query) {
    if (key === 'or' || key === 'and') conditions.push(logical(key, value, columns, params))
    else if (key === 'not.or' || key === 'not.and')
      conditions.push(`not ${logical(key.slice(4) as 'or', value, columns, params)}`)
    else if (!RESERVED.has(key)) conditions.push(condition(key, value, columns, params))
  }
  return conditions
}

export function orderClause(order: string | undefined, columns: Column[]): string {
  if (!order) return ''
  const terms = splitTopLevel(order).map((term) => {
    const [name, ...modifiers] = term.split('.')
    let sql = quoteColumn(name as string, columns)
    for (const modifier of modifiers) {
      if (modifier === 'asc' || modifier === 'desc') sql += ` ${modifier}`
      else if (modifier === 'nullsfirst') sql += ' nulls first'
      else if (modifier === 'nullslast') sql += ' nulls last'
      else throw new RestError(400, 'PGRST100', `failed to parse order (${order})`)
    }
    return sql
  })
  return ` order by ${terms.join(', ')}`
}

export function nonNegativeInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value))
    throw new RestError(400, 'PGRST100', `"${name}" must be a non-negative integer`)
  return Number(value)
}
