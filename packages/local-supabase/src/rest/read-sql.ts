import { RestError } from '#src/rest/errors.ts'
import { fieldSql, ident, logicSql, type Params } from '#src/rest/filters.ts'
import type { Field, SelectItem } from '#src/rest/grammar.ts'
import { computedField, type ReadNode } from '#src/rest/read-plan.ts'
import { isToOne } from '#src/rest/relationships.ts'
import type { SchemaCache } from '#src/rest/schema-cache.ts'

/**
 * SQL for a read plan. Every embedded resource is a lateral subquery whose JSON (or, for a
 * spread, whose columns) the parent selects; filters, order and range apply per level, as in
 * PostgREST's QueryBuilder.hs. The body is built in PostgreSQL, so JSON values are Postgres'.
 */
export type BuiltSelect = { sql: string; columns: string[] }

const CAST = /^[A-Za-z_][A-Za-z0-9_ ]*(\[\])?$/

export class SelectBuilder {
  private counter = 0
  readonly cache: SchemaCache
  readonly params: Params
  readonly maxRows: number | undefined
  constructor(cache: SchemaCache, params: Params, maxRows: number | undefined) {
    this.cache = cache
    this.params = params
    this.maxRows = maxRows
  }

  nextAlias(name: string) {
    this.counter++
    return `${name}_${this.counter}`
  }

  /**
   * `select ... from <from> as alias <laterals> where ... order by ... limit ...`.
   * `where` carries extra conditions (join conditions from the parent).
   */
  build(
    node: ReadNode,
    from: string,
    alias: string,
    options: { where?: string[]; extraFrom?: string; paging?: boolean; topLevel?: boolean } = {},
  ): BuiltSelect {
    const q = ident(alias)
    const resolve = (name: string) => {
      if (node.columns.some((c) => c.name === name)) return `${q}.${ident(name)}`
      const fn = computedField(this.cache, node.relation, name)
      if (fn) return `${ident(fn.schema)}.${ident(fn.name)}(${q})`
      return `${q}.${ident(name)}`
    }
    const laterals: string[] = []
    const where: string[] = [...(options.where ?? [])]
    const childSql = new Map<ReadNode, { alias: string; columns: string[] }>()
    for (const child of node.children) {
      const built = this.lateral(node, alias, child)
      laterals.push(`left join lateral (${built.sql}) as ${ident(built.alias)} on true`)
      childSql.set(child, built)
      if (child.inner) where.push(`${ident(built.alias)}.${ident('__pgrst_present')}`)
    }
    for (const { child, isNull } of node.nullFilters) {
      const built = childSql.get(child)
      if (!built) continue
      where.push(
        `${isNull ? 'not ' : ''}coalesce(${ident(built.alias)}.${ident('__pgrst_present')}, false)`,
      )
    }
    for (const tree of node.filters) where.push(logicSql(tree, resolve, this.params))

    const list: string[] = []
    const columns: string[] = []
    const grouped: string[] = []
    let aggregated = false
    const embedIndex = new Map(node.children.map((c) => [c.alias ?? c.name, c]))
    for (const item of node.select) {
      if (item.kind === 'star') {
        list.push(`${q}.*`)
        columns.push(...node.columns.map((c) => c.name))
        grouped.push(...node.columns.map((c) => `${q}.${ident(c.name)}`))
      } else if (item.kind === 'count') {
        aggregated = true
        const name = item.alias ?? 'count'
        list.push(`${this.cast('count(*)', item.cast)} as ${ident(name)}`)
        columns.push(name)
      } else if (item.kind === 'field') {
        let expr = fieldSql(item.field, resolve, this.params)
        const name = item.alias ?? outputName(item.field)
        if (item.cast) expr = this.cast(expr, item.cast)
        if (item.aggregate) {
          if (!this.cache.settings.aggregatesEnabled) {
            throw new RestError(400, 'PGRST123', 'Use of aggregate functions is not allowed')
          }
          aggregated = true
          expr = this.cast(`${item.aggregate}(${expr})`, item.aggregateCast)
          list.push(`${expr} as ${ident(item.alias ?? item.aggregate)}`)
          columns.push(item.alias ?? item.aggregate)
        } else {
          list.push(`${expr} as ${ident(name)}`)
          columns.push(name)
          grouped.push(expr)
        }
      } else {
        const child = embedIndex.get(item.alias ?? item.name) as ReadNode
        const built = childSql.get(child) as { alias: string; columns: string[] }
        // `users()` embeds for filtering only: nothing of it is selected.
        if (item.select.length === 0) continue
        const e = ident(built.alias)
        if (child.spread) {
          for (const column of built.columns) {
            list.push(`${e}.${ident(column)} as ${ident(column)}`)
            columns.push(column)
            grouped.push(`${e}.${ident(column)}`)
          }
        } else {
          const name = item.alias ?? item.name
          const toOne = child.relationship ? isToOne(child.relationship) : false
          const value = toOne ? `${e}.body` : `coalesce(${e}.body, '[]'::json)`
          list.push(`${value} as ${ident(name)}`)
          columns.push(name)
          grouped.push(`${e}.body::jsonb`)
        }
      }
    }
    const order = node.order.map((term) => {
      let expr: string
      if (term.relation) {
        const child = embedIndex.get(term.relation)
        if (!child) {
          throw new RestError(
            400,
            'PGRST108',
            `'${term.relation}' is not an embedded resource in this request`,
            null,
            `Verify that '${term.relation}' is included in the 'select' query parameter.`,
          )
        }
        if (!child.relationship || !isToOne(child.relationship)) {
          throw new RestError(
            400,
            'PGRST118',
            `A related order on '${term.relation}' is not possible`,
            `'${node.name}' and '${term.relation}' do not form a many-to-one or one-to-one relationship`,
          )
        }
        const built = childSql.get(child) as { alias: string }
        expr = `(${ident(built.alias)}.body::jsonb -> ${this.params.add(term.field.name)})`
        for (const step of term.field.json) {
          expr = `(${expr} ${step.arrow} ${step.index ? `${this.params.add(step.key)}::int` : this.params.add(step.key)})`
        }
      } else expr = fieldSql(term.field, resolve, this.params)
      return `${expr}${term.direction ? ` ${term.direction}` : ''}${term.nulls ? ` nulls ${term.nulls}` : ''}`
    })
    let sql = `select ${list.length ? list.join(', ') : 'null'} from ${from} as ${q}${options.extraFrom ?? ''} ${laterals.join(' ')}`
    if (where.length) sql += ` where ${where.join(' and ')}`
    if (aggregated && grouped.length) sql += ` group by ${grouped.join(', ')}`
    if (options.paging !== false) {
      if (order.length) sql += ` order by ${order.join(', ')}`
      const limit =
        options.topLevel && this.maxRows !== undefined
          ? Math.min(node.limit ?? this.maxRows, this.maxRows)
          : node.limit
      if (limit !== undefined) sql += ` limit ${limit}`
      if (node.offset) sql += ` offset ${node.offset}`
    }
    return { sql, columns }
  }

  private cast(expr: string, cast: string | undefined) {
    if (!cast) return expr
    if (!CAST.test(cast)) throw new RestError(400, 'PGRST100', `"failed to parse cast (${cast})"`)
    return `(${expr})::${cast}`
  }

  /** The lateral subquery of one embedded resource, correlated with the parent alias. */
  private lateral(parent: ReadNode, parentAlias: string, child: ReadNode) {
    const rel = child.relationship
    if (!rel) throw new Error('embedded node without relationship')
    const alias = this.nextAlias(child.name)
    const p = ident(parentAlias)
    const c = ident(alias)
    const target = `${ident(rel.target.schema)}.${ident(rel.target.name)}`
    let from = target
    let extraFrom = ''
    const where: string[] = []
    if (rel.kind === 'fk') {
      for (const [sourceCol, targetCol] of rel.pairs)
        where.push(`${c}.${ident(targetCol)} = ${p}.${ident(sourceCol)}`)
    } else if (rel.kind === 'm2m') {
      const j = ident(this.nextAlias(rel.junction.name))
      extraFrom = `, ${ident(rel.junction.schema)}.${ident(rel.junction.name)} as ${j}`
      for (const [junctionCol, targetCol] of rel.targetPairs)
        where.push(`${j}.${ident(junctionCol)} = ${c}.${ident(targetCol)}`)
      for (const [junctionCol, sourceCol] of rel.sourcePairs)
        where.push(`${j}.${ident(junctionCol)} = ${p}.${ident(sourceCol)}`)
    } else {
      from = `${ident(rel.fn.schema)}.${ident(rel.fn.name)}(${p})`
    }
    void parent
    const inner = this.build(child, from, alias, { where, extraFrom })
    const x = ident(`${alias}_row`)
    const present = ident('__pgrst_present')
    if (child.spread) {
      if (isToOne(rel)) {
        const cols = inner.columns.map((col) => `${x}.${ident(col)}`)
        return {
          alias: `${alias}_spread`,
          columns: inner.columns,
          sql: `select ${[...cols, `true as ${present}`].join(', ')} from (${inner.sql}) as ${x}`,
        }
      }
      const cols = inner.columns.map((col) => `json_agg(${x}.${ident(col)}) as ${ident(col)}`)
      return {
        alias: `${alias}_spread`,
        columns: inner.columns,
        sql: `select ${[...cols, `count(*) > 0 as ${present}`].join(', ')} from (${inner.sql}) as ${x}`,
      }
    }
    if (isToOne(rel)) {
      return {
        alias: `${alias}_json`,
        columns: [],
        sql: `select row_to_json(${x}) as body, true as ${present} from (${inner.sql}) as ${x}`,
      }
    }
    return {
      alias: `${alias}_json`,
      columns: [],
      sql: `select json_agg(${x}) as body, count(*) > 0 as ${present} from (${inner.sql}) as ${x}`,
    }
  }
}

/** PostgREST names a JSON path selection after its last key. */
function outputName(field: Field): string {
  const last = field.json.at(-1)
  return last ? last.key : field.name
}

export type { SelectItem }
