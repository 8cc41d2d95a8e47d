import { RestError } from '#src/rest/errors.ts'
import { ident, Params } from '#src/rest/filters.ts'
import { buildReadPlan, type PlanSource, type ReadNode } from '#src/rest/read-plan.ts'
import { SelectBuilder } from '#src/rest/read-sql.ts'
import { closest } from '#src/rest/relationships.ts'
import type { RestRequest } from '#src/rest/request.ts'
import {
  bodySql,
  contentRange,
  contentType,
  preferenceApplied,
  rangeStatus,
  send,
  singularityError,
} from '#src/rest/response.ts'
import type { Relation } from '#src/rest/schema-cache.ts'
import { inTransaction, type Transaction, txRollback } from '#src/rest/transaction.ts'

export type ReadResult = { body: string; rows: number; total?: number }

/** The relation a path names, reloading the cache once on a miss; else 404 PGRST205. */
export async function findRelation(req: RestRequest, name: string): Promise<Relation> {
  const lookup = () => req.cache.relations.find((r) => r.schema === req.schema && r.name === name)
  // The cache is reloaded only on a miss (a table created since it was loaded).
  let found = lookup()
  if (!found) {
    req.cache = await req.reload()
    found = lookup()
  }
  if (found) return found
  const suggestion = closest(
    name,
    req.cache.relations.filter((r) => r.schema === req.schema).map((r) => r.name),
    0.75,
  )
  throw new RestError(
    404,
    'PGRST205',
    `Could not find the table '${req.schema}.${name}' in the schema cache`,
    null,
    suggestion ? `Perhaps you meant the table '${req.schema}.${suggestion}'` : null,
  )
}

/**
 * Runs a read plan: body, row count, and the total when a count was asked for. `last`: nothing
 * after the read can roll the request back, so its final statement may take the COMMIT along.
 */
export async function runRead(
  req: RestRequest,
  tx: Transaction,
  plan: ReadNode,
  from: string,
  alias: string,
  params: Params,
  { last = false }: { last?: boolean } = {},
): Promise<ReadResult> {
  const builder = new SelectBuilder(req.cache, params, req.ctx.config.api.max_rows)
  const main = builder.build(plan, from, alias, { topLevel: true })
  if (req.media.kind === 'plan') {
    const options = req.media.options.filter((o) =>
      ['analyze', 'verbose', 'settings', 'buffers', 'wal'].includes(o),
    )
    const explain = `explain (${[...options, `format ${req.media.format}`].join(', ')}) ${bodySql(main.sql, { kind: 'json' })}`
    const { rows } = await tx.query(explain, params.values, { last })
    const body =
      req.media.format === 'json'
        ? JSON.stringify(rows[0]?.['QUERY PLAN'])
        : rows.map((r) => r['QUERY PLAN']).join('\n')
    return { body, rows: 0 }
  }
  const count = req.prefs.count
  const { rows } = await tx.query(bodySql(main.sql, req.media), params.values, {
    last: last && !count,
  })
  const result: ReadResult = { body: rows[0]?.body, rows: rows[0]?.n ?? 0 }
  if (count) {
    const countParams = new Params()
    const counting = new SelectBuilder(req.cache, countParams, undefined).build(plan, from, alias, {
      paging: false,
    })
    const countSql = `select count(*)::bigint as n from (${counting.sql}) as _pgrst_c`
    if (count === 'exact') {
      result.total = Number((await tx.query(countSql, countParams.values)).rows[0]?.n)
    } else {
      const planned = await plannedRows(tx, countSql, countParams.values)
      const max = req.ctx.config.api.max_rows
      result.total =
        count === 'estimated' && planned <= max
          ? Number((await tx.query(countSql, countParams.values)).rows[0]?.n)
          : planned
    }
  }
  return result
}

/** The planner's row estimate of the counted rows (Prefer: count=planned). */
async function plannedRows(tx: Transaction, countSql: string, values: unknown[]) {
  const inner = countSql
    .replace(/^select count\(\*\)::bigint as n from \(/, '')
    .replace(/\) as _pgrst_c$/, '')
  const { rows } = await tx.query(`explain (format json) ${inner}`, values)
  const plan = rows[0]?.['QUERY PLAN']?.[0]?.Plan as { 'Plan Rows'?: number } | undefined
  return Math.round(plan?.['Plan Rows'] ?? 0)
}

/** Headers and status of a read response (table GET/HEAD and RPC results). */
export function readResponse(req: RestRequest, result: ReadResult, plan: ReadNode) {
  const c = req.c
  const offset = plan.offset ?? 0
  if (req.media.kind === 'object' && result.rows !== 1) throw singularityError(result.rows)
  const status = rangeStatus(offset, result.rows, result.total)
  if (status === 416) {
    throw new RestError(
      416,
      'PGRST103',
      'Requested range not satisfiable',
      `An offset of ${offset} was requested, but there are only ${result.total} rows.`,
    )
  }
  const headers: Record<string, string> = {
    'content-range': contentRange(offset, offset + result.rows - 1, result.total),
    'content-type': contentType(req.media),
    'preference-applied': preferenceApplied(req.prefs, ['count']),
  }
  return send(c, status, result.body, headers)
}

export async function readTable(req: RestRequest, table: string) {
  const relation = await findRelation(req, table)
  const source: PlanSource = { relation, columns: relation.columns, name: relation.name }
  const plan = buildReadPlan(req.cache, source, req.query)
  const params = new Params()
  const tx = txRollback(req.cache.settings.txEnd, req.prefs.tx)
  const result = await inTransaction(
    req.ctx,
    req.c,
    req.caller,
    { readOnly: true, rollback: tx.rollback, schema: req.schema, timezone: req.prefs.timezone },
    (transaction) =>
      runRead(
        req,
        transaction,
        plan,
        `${ident(relation.schema)}.${ident(relation.name)}`,
        relation.name,
        params,
        { last: true },
      ),
  )
  return readResponse(req, result, plan)
}
