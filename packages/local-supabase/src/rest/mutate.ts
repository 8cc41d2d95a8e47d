import { JsonBodyError, parseJsonBody } from '#src/gateway/json-body.ts'
import { RestError } from '#src/rest/errors.ts'
import { ident, logicSql, Params } from '#src/rest/filters.ts'
import { parseNameList } from '#src/rest/grammar.ts'
import { findRelation } from '#src/rest/read.ts'
import { buildReadPlan, computedField } from '#src/rest/read-plan.ts'
import { SelectBuilder } from '#src/rest/read-sql.ts'
import type { RestRequest } from '#src/rest/request.ts'
import {
  bodySql,
  contentRange,
  contentType,
  maxAffectedError,
  preferenceApplied,
  send,
  singularityError,
} from '#src/rest/response.ts'
import type { Relation } from '#src/rest/schema-cache.ts'
import { inTransaction, txRollback } from '#src/rest/transaction.ts'

export type MutationKind = 'insert' | 'update' | 'delete'

type Row = Record<string, unknown>

/** Reads the JSON payload of a write; PostgREST answers PGRST102 for anything else. */
export async function readPayload(req: RestRequest): Promise<unknown> {
  const text = await req.c.req.text()
  if (!text.trim()) {
    throw new RestError(400, 'PGRST102', 'Empty or invalid json')
  }
  try {
    return parseJsonBody(text)
  } catch (error) {
    throw new RestError(
      400,
      'PGRST102',
      error instanceof JsonBodyError ? error.message : 'Empty or invalid json',
    )
  }
}

function columnNotFound(relation: Relation, name: string) {
  return new RestError(
    400,
    'PGRST204',
    `Could not find the '${name}' column of '${relation.name}' in the schema cache`,
  )
}

/**
 * POST / PATCH / DELETE on a table or view, as PostgREST's mutate plans run them: the write in
 * a `pgrst_source` CTE, then the representation read from it (with embedding), the affected
 * count, and for upserts the rows actually inserted (xmax = 0).
 */
export async function mutate(req: RestRequest, table: string, kind: MutationKind) {
  const relation = await findRelation(req, table)
  const prefs = req.prefs
  const representation = prefs.return === 'representation'
  const params = new Params()
  const target = `${ident(relation.schema)}.${ident(relation.name)}`
  const alias = relation.name
  const plan = buildReadPlan(
    req.cache,
    { relation, columns: relation.columns, name: relation.name },
    req.query,
    { selectText: representation ? (req.query.get('select') ?? '*') : '*' },
  )
  const resolve = (name: string) => {
    if (relation.columns.some((c) => c.name === name)) return `${ident(alias)}.${ident(name)}`
    const fn = computedField(req.cache, relation, name)
    return fn
      ? `${ident(fn.schema)}.${ident(fn.name)}(${ident(alias)})`
      : `${ident(alias)}.${ident(name)}`
  }
  const payload = kind === 'delete' ? null : await readPayload(req)
  const isTable = relation.kind === 'r' || relation.kind === 'p'
  const upsert = kind === 'insert' && prefs.resolution !== undefined
  let statement: string
  if (kind === 'insert') {
    const rows = (Array.isArray(payload) ? payload : [payload]) as Row[]
    if (rows.some((r) => !r || typeof r !== 'object' || Array.isArray(r))) {
      throw new RestError(400, 'PGRST102', 'All object keys must match')
    }
    const listed = req.query.get('columns')
    const keys = listed
      ? parseNameList('columns', listed)
      : [...new Set(rows.flatMap((r) => Object.keys(r)))]
    for (const key of keys)
      if (!relation.columns.some((c) => c.name === key)) throw columnNotFound(relation, key)
    let conflict = ''
    if (upsert) {
      const onConflict = req.query.get('on_conflict')
      const conflictCols = onConflict
        ? parseNameList('on_conflict', onConflict)
        : relation.primaryKey
      const updates = keys.filter((k) => !conflictCols.includes(k) || true)
      conflict =
        prefs.resolution === 'ignore-duplicates' || updates.length === 0
          ? ` on conflict (${conflictCols.map(ident).join(', ')}) do nothing`
          : ` on conflict (${conflictCols.map(ident).join(', ')}) do update set ${updates.map((k) => `${ident(k)} = excluded.${ident(k)}`).join(', ')}`
    }
    const extra = isTable ? `, (xmax = 0) as "__pgrst_inserted"` : ''
    const returning = ` returning ${target}.*${extra}`
    // With missing=default, each set of present keys is its own INSERT so absent columns take
    // their defaults; otherwise absent keys are NULL (json_populate_recordset).
    const groups = prefs.missing === 'default' ? groupByKeys(rows, keys) : [{ keys, rows }]
    const inserts = groups.map((group, i) => {
      const cols = group.keys.map(ident).join(', ')
      const source =
        group.keys.length === 0
          ? `select from json_populate_recordset(null::${target}, ${params.add(JSON.stringify(group.rows))}::json)`
          : `select ${cols} from json_populate_recordset(null::${target}, ${params.add(JSON.stringify(group.rows))}::json)`
      const body =
        group.keys.length === 0
          ? group.rows.length === 1
            ? `insert into ${target} default values`
            : `insert into ${target} ${source}`
          : `insert into ${target} (${cols}) ${source}`
      return { name: `_pgrst_ins_${i}`, sql: `${body}${conflict}${returning}` }
    })
    if (inserts.length === 0) {
      statement = `select ${target}.*${isTable ? ', false as "__pgrst_inserted"' : ''} from ${target} where false`
    } else if (inserts.length === 1) {
      statement = (inserts[0] as { sql: string }).sql
    } else {
      // Several data-modifying CTEs under one statement.
      return runMutation(req, relation, kind, plan, params, {
        ctes: inserts,
        union: inserts.map((i) => `select * from ${ident(i.name)}`).join(' union all '),
        isTable,
        upsert,
      })
    }
  } else {
    const where = plan.filters.map((tree) => logicSql(tree, resolve, params))
    if (where.length === 0) {
      throw Object.assign(
        new Error(`${kind === 'update' ? 'UPDATE' : 'DELETE'} requires a WHERE clause`),
        { code: '21000' },
      )
    }
    if (kind === 'update') {
      if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
        throw new RestError(400, 'PGRST102', 'Empty or invalid json')
      }
      const keys = Object.keys(payload)
      for (const key of keys)
        if (!relation.columns.some((c) => c.name === key)) throw columnNotFound(relation, key)
      if (keys.length === 0) {
        statement = `select ${ident(alias)}.* from ${target} as ${ident(alias)} where false`
      } else {
        const source = `(select * from json_populate_record(null::${target}, ${params.add(JSON.stringify(payload))}::json)) as _pgrst_body`
        statement = `update ${target} as ${ident(alias)} set ${keys.map((k) => `${ident(k)} = _pgrst_body.${ident(k)}`).join(', ')} from ${source} where ${where.join(' and ')} returning ${ident(alias)}.*`
      }
    } else {
      statement = `delete from ${target} as ${ident(alias)} where ${where.join(' and ')} returning ${ident(alias)}.*`
    }
  }
  return runMutation(req, relation, kind, plan, params, {
    ctes: [{ name: '_pgrst_m', sql: statement }],
    union: `select * from "_pgrst_m"`,
    isTable: kind === 'insert' && isTable,
    upsert,
  })
}

function groupByKeys(rows: Row[], keys: string[]) {
  const groups = new Map<string, { keys: string[]; rows: Row[] }>()
  for (const row of rows) {
    const present = keys.filter((k) => k in row)
    const id = present.join('\0')
    const group = groups.get(id) ?? { keys: present, rows: [] }
    group.rows.push(row)
    groups.set(id, group)
  }
  return [...groups.values()]
}

async function runMutation(
  req: RestRequest,
  relation: Relation,
  kind: MutationKind,
  plan: ReturnType<typeof buildReadPlan>,
  params: Params,
  statement: {
    ctes: { name: string; sql: string }[]
    union: string
    isTable: boolean
    upsert: boolean
  },
) {
  const prefs = req.prefs
  const representation = prefs.return === 'representation'
  const tx = txRollback(req.cache.settings.txEnd, prefs.tx)
  const columns = relation.columns.map((c) => ident(c.name)).join(', ')
  const inserted = statement.isTable
    ? ', count(*) filter (where "__pgrst_inserted") as inserted'
    : ''
  // The representation reads the written rows; filters were the write's, not re-applied.
  const readPlan = { ...plan, filters: [], limit: undefined, offset: undefined }
  const read = new SelectBuilder(req.cache, params, undefined).build(
    readPlan,
    'pgrst_source',
    relation.name,
  )
  const ctes = statement.ctes.map((c) => `${ident(c.name)} as (${c.sql})`).join(', ')
  const sql = `with ${ctes}, _pgrst_all as (${statement.union}), pgrst_source as (select ${columns} from _pgrst_all)
    select (select count(*) from _pgrst_all)::int as affected
      ${statement.isTable ? ', (select count(*) from _pgrst_all where "__pgrst_inserted")::int as inserted' : ''},
      ${representation ? `(${bodySql(read.sql, req.media).replace(/, count\(\*\)::int as n from/, ' from')})` : 'null'} as body`
  void inserted
  const strict = prefs.handling === 'strict'
  const result = await inTransaction(
    req.ctx,
    req.c,
    req.caller,
    { readOnly: false, rollback: tx.rollback, schema: req.schema, timezone: prefs.timezone },
    async (tx) => {
      // Not `last`: the singular and max-affected checks below may still roll the write back.
      const { rows } = await tx.query(sql, params.values)
      const row = rows[0] as { affected: number; inserted?: number; body: string | null }
      if (req.media.kind === 'object' && row.affected !== 1) throw singularityError(row.affected)
      if (
        kind !== 'insert' &&
        strict &&
        prefs.maxAffected !== undefined &&
        row.affected > prefs.maxAffected
      ) {
        throw maxAffectedError(row.affected)
      }
      return row
    },
  )
  const total = prefs.count ? result.affected : undefined
  const headers: Record<string, string> = {
    'content-range':
      kind === 'update' ? contentRange(0, result.affected - 1, total) : contentRange(1, 0, total),
    'preference-applied': preferenceApplied({ ...prefs, tx: tx.applied ? prefs.tx : undefined }, [
      'resolution',
      'missing',
      'return',
      'count',
      'tx',
      'handling',
      'maxAffected',
    ]),
  }
  let status: number
  if (kind === 'insert') {
    status =
      statement.upsert &&
      prefs.resolution === 'merge-duplicates' &&
      (result.inserted ?? result.affected) <= 0
        ? 200
        : 201
  } else status = representation ? 200 : 204
  if (!representation) return send(req.c, status, null, headers)
  headers['content-type'] = contentType(req.media)
  return send(req.c, status, result.body ?? '[]', headers)
}
