import pg from 'pg'
import type { Field, Filter, LogicTree } from '#src/rest/grammar.ts'

/** Collects parameter values; SQL text only ever holds $n placeholders and quoted identifiers. */
export class Params {
  readonly values: unknown[] = []
  add(value: unknown): string {
    this.values.push(value)
    return `$${this.values.length}`
  }
}

export const ident = (name: string) => pg.escapeIdentifier(name)

/** Resolves a field name to SQL: a column of the alias, or a computed field (f(row)). */
export type FieldResolver = (name: string) => string

/** `col->'a'->>'b'`, with keys and indexes as parameters of unknown type, like PostgREST. */
export function fieldSql(field: Field, resolve: FieldResolver, params: Params): string {
  let sql = resolve(field.name)
  for (const step of field.json) {
    sql += step.arrow + (step.index ? `${params.add(step.key)}::int` : params.add(step.key))
  }
  return sql
}

const QUANT: Record<string, string> = {
  eq: '=',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  like: 'like',
  ilike: 'ilike',
  match: '~',
  imatch: '~*',
}
const SIMPLE: Record<string, string> = {
  neq: '<>',
  cs: '@>',
  cd: '<@',
  ov: '&&',
  sl: '<<',
  sr: '>>',
  nxr: '&<',
  nxl: '&>',
  adj: '-|-',
}
const FTS: Record<string, string> = {
  fts: 'to_tsquery',
  plfts: 'plainto_tsquery',
  phfts: 'phraseto_tsquery',
  wfts: 'websearch_to_tsquery',
}
const IS: Record<string, string> = {
  null: 'null',
  not_null: 'not null',
  true: 'true',
  false: 'false',
  unknown: 'unknown',
}

/** A PostgreSQL array literal, quoting every element (PostgREST's pgBuildArrayLiteral). */
export function arrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`
}

/**
 * One filter as SQL (src/PostgREST/Query/SqlFragment.hs pgFmtFilter). Values stay untyped
 * parameters, so PostgreSQL types them from the column as PostgREST's unknown literals do.
 */
export function filterSql(filter: Filter, resolve: FieldResolver, params: Params): string {
  const column = fieldSql(filter.field, resolve, params)
  const operation = filter.operation
  let sql: string
  switch (operation.kind) {
    case 'quant': {
      const like = operation.op === 'like' || operation.op === 'ilike'
      const value = like ? operation.value.replaceAll('*', '%') : operation.value
      const param = params.add(value)
      sql = `${column} ${QUANT[operation.op]} ${operation.quantifier ? `${operation.quantifier}(${param})` : param}`
      break
    }
    case 'simple':
      sql = `${column} ${SIMPLE[operation.op]} ${params.add(operation.value)}`
      break
    case 'in':
      sql =
        operation.values.length === 1 && operation.values[0] === ''
          ? `${column} = any('{}')`
          : `${column} = any(${params.add(arrayLiteral(operation.values))})`
      break
    case 'is':
      sql = `${column} is ${IS[operation.value]}`
      break
    case 'isdistinct':
      sql = `${column} is distinct from ${params.add(operation.value)}`
      break
    case 'fts':
      sql = `${column} @@ ${FTS[operation.op]}(${operation.config !== undefined ? `${params.add(operation.config)}, ` : ''}${params.add(operation.value)})`
      break
  }
  return filter.negate ? `not (${sql})` : sql
}

export function logicSql(tree: LogicTree, resolve: FieldResolver, params: Params): string {
  if (tree.kind === 'filter') return filterSql(tree.filter, resolve, params)
  const inner = tree.children
    .map((child) => logicSql(child, resolve, params))
    .join(tree.op === 'and' ? ' and ' : ' or ')
  return `${tree.negate ? 'not ' : ''}(${inner})`
}
