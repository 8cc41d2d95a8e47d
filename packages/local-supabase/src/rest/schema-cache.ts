import type pg from 'pg'

/**
 * PostgREST's schema cache (src/PostgREST/SchemaCache.hs): the relations and functions of the
 * exposed schemas, the foreign keys they are linked by (relationships), and the in-database
 * settings PostgREST reads from the authenticator role.
 */

export type Column = { name: string; type: string; nullable: boolean; hasDefault: boolean }
export type Relation = {
  schema: string
  name: string
  kind: string
  columns: Column[]
  primaryKey: string[]
  /** Column sets that are unique (primary key and unique constraints). */
  uniques: string[][]
  /** The composite type's oid, for functions taking this row. */
  typeOid: number
}
export type ForeignKey = {
  name: string
  schema: string
  table: string
  columns: string[]
  refSchema: string
  refTable: string
  refColumns: string[]
}
export type FunctionArg = { name: string; type: string; typeOid: number; hasDefault: boolean }
export type RestFunction = {
  schema: string
  name: string
  args: FunctionArg[]
  volatility: 'i' | 's' | 'v'
  returnsSet: boolean
  /** `SETOF ... ROWS 1`: PostgREST embeds such a function's result as one object. */
  returnsOneRow: boolean
  /** void, scalar, or composite (with its columns). */
  returnKind: 'void' | 'scalar' | 'composite'
  returnType: string
  /** The relation whose rows the function returns, when it returns table rows. */
  returnRelation?: { schema: string; name: string }
  columns: Column[]
}
export type Settings = { planEnabled: boolean; aggregatesEnabled: boolean; txEnd: string }
export type SchemaCache = {
  /** Functions callable as RPC. */
  functions: RestFunction[]
  /** Functions of one argument (any name), for computed fields and relationships. */
  rowFunctions: RestFunction[]
  relations: Relation[]
  foreignKeys: ForeignKey[]
  settings: Settings
  loadedAt: number
}

const RELATIONS_SQL = `
select n.nspname as schema, c.relname as name, c.relkind as kind, c.reltype::int as type_oid,
  coalesce((select json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
       'nullable', not a.attnotnull, 'hasDefault', a.atthasdef or a.attidentity <> '' or a.attgenerated <> '') order by a.attnum)
     from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '[]') as columns,
  coalesce((select json_agg((select json_agg(a.attname order by k.i) from unnest(con.conkey) with ordinality k(attnum, i)
       join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum) order by con.contype = 'p' desc)
     from pg_constraint con where con.conrelid = c.oid and con.contype in ('p', 'u')), '[]') as uniques,
  coalesce((select json_agg(a.attname order by k.i) from pg_constraint con, unnest(con.conkey) with ordinality k(attnum, i)
       join pg_attribute a on a.attnum = k.attnum
     where con.conrelid = c.oid and con.contype = 'p' and a.attrelid = c.oid), '[]') as primary_key
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname = any ($1) and c.relkind in ('r', 'v', 'm', 'f', 'p')`

const FOREIGN_KEYS_SQL = `
select con.conname as name, n.nspname as schema, c.relname as "table", rn.nspname as ref_schema, rc.relname as ref_table,
  (select json_agg(a.attname order by k.i) from unnest(con.conkey) with ordinality k(attnum, i)
     join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as columns,
  (select json_agg(a.attname order by k.i) from unnest(con.confkey) with ordinality k(attnum, i)
     join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum) as ref_columns
from pg_constraint con
join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
join pg_class rc on rc.oid = con.confrelid join pg_namespace rn on rn.oid = rc.relnamespace
where con.contype = 'f'`

const VIEW_COLUMNS_SQL = `
select distinct vn.nspname as view_schema, v.relname as view_name, tn.nspname as base_schema, t.relname as base_name
from pg_class v join pg_namespace vn on vn.oid = v.relnamespace
join pg_rewrite r on r.ev_class = v.oid
join pg_depend d on d.objid = r.oid and d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass
join pg_class t on t.oid = d.refobjid and t.oid <> v.oid and t.relkind in ('r', 'p', 'v', 'm', 'f')
join pg_namespace tn on tn.oid = t.relnamespace
where v.relkind in ('v', 'm') and vn.nspname = any ($1)`

const FUNCTIONS_SQL = `
select n.nspname as schema, p.proname as name, p.provolatile as volatility, p.proretset as returns_set, p.prorows as est_rows,
  p.pronargdefaults as n_defaults, p.prorettype = 'void'::regtype as is_void, format_type(p.prorettype, null) as return_type,
  coalesce(rt.typrelid <> 0 or p.prorettype = 'record'::regtype, false) as is_composite,
  -- PostgREST only exposes functions whose inputs are all named, or one unnamed bytea/json/jsonb/text/xml input.
  (select case count(*) - count(nullif(name, ''))
                when 0 then true
                when 1 then count(*) = 1 and (array_agg(type))[1] in ('bytea'::regtype, 'json'::regtype, 'jsonb'::regtype, 'text'::regtype, 'xml'::regtype)
                else false end
       from unnest(coalesce(p.proargnames, array_fill(''::text, array[cardinality(p.proargtypes)])), p.proargtypes::oid[]) as u(name, type)
       where type is not null) as callable,
  rn.nspname as ret_schema, rc.relname as ret_name,
  coalesce((select json_agg(json_build_object('name', coalesce(p.proargnames[i], ''), 'type', format_type(t, null), 'oid', t,
             'mode', coalesce(p.proargmodes[i], 'i')) order by i)
            from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality as a(t, i)), '[]') as params,
  coalesce((select json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'nullable', true, 'hasDefault', false) order by a.attnum)
            from pg_attribute a where a.attrelid = rt.typrelid and a.attnum > 0 and not a.attisdropped), '[]') as rel_columns
from pg_proc p join pg_namespace n on n.oid = p.pronamespace
left join pg_type rt on rt.oid = p.prorettype
left join pg_class rc on rc.oid = rt.typrelid left join pg_namespace rn on rn.oid = rc.relnamespace
where n.nspname = any ($1) and p.prokind = 'f' and p.prorettype <> 'trigger'::regtype
`

const SETTINGS_SQL = `
select coalesce((select json_object_agg(split_part(s, '=', 1), substr(s, strpos(s, '=') + 1))
  from pg_db_role_setting r, unnest(r.setconfig) s
  where r.setrole = 'authenticator'::regrole and s like 'pgrst.%'
    and r.setdatabase in (0, (select oid from pg_database where datname = current_database()))), '{}') as settings`

export async function loadSchemaCache(
  client: pg.PoolClient,
  schemas: string[],
): Promise<SchemaCache> {
  const relations = await client.query(RELATIONS_SQL, [schemas])
  const foreignKeys = await client.query(FOREIGN_KEYS_SQL)
  // The base relations of each view (pg_catalog: information_schema hides other owners' views).
  const views = await client.query(VIEW_COLUMNS_SQL, [schemas])
  const functions = await client.query(FUNCTIONS_SQL, [schemas])
  const settings = await client.query(SETTINGS_SQL)
  const rels: Relation[] = relations.rows.map((r) => ({
    schema: r.schema,
    name: r.name,
    kind: r.kind,
    typeOid: Number(r.type_oid),
    columns: r.columns,
    primaryKey: r.primary_key,
    uniques: r.uniques,
  }))
  const fks: ForeignKey[] = foreignKeys.rows.map((r) => ({
    name: r.name,
    schema: r.schema,
    table: r.table,
    columns: r.columns,
    refSchema: r.ref_schema,
    refTable: r.ref_table,
    refColumns: r.ref_columns,
  }))
  // A view over one base table takes on that table's foreign keys for the columns it keeps
  // under the same name, as PostgREST's view-dependency analysis does for simple views.
  const bases = new Map<string, { schema: string; name: string }[]>()
  for (const v of views.rows) {
    const key = `${v.view_schema}.${v.view_name}`
    bases.set(key, [...(bases.get(key) ?? []), { schema: v.base_schema, name: v.base_name }])
  }
  const derived: ForeignKey[] = []
  for (const [key, tables] of bases) {
    if (tables.length !== 1) continue
    const base = tables[0] as { schema: string; name: string }
    const view = rels.find((r) => `${r.schema}.${r.name}` === key)
    if (!view) continue
    const has = (cols: string[]) => cols.every((c) => view.columns.some((vc) => vc.name === c))
    for (const fk of fks) {
      if (fk.schema === base.schema && fk.table === base.name && has(fk.columns))
        derived.push({ ...fk, schema: view.schema, table: view.name })
      if (fk.refSchema === base.schema && fk.refTable === base.name && has(fk.refColumns))
        derived.push({ ...fk, refSchema: view.schema, refTable: view.name })
    }
    const baseRel = rels.find((r) => r.schema === base.schema && r.name === base.name)
    if (baseRel && has(baseRel.primaryKey)) {
      view.primaryKey = baseRel.primaryKey
      view.uniques = baseRel.uniques.filter(has)
    }
  }
  const raw = (settings.rows[0]?.settings ?? {}) as Record<string, string>
  return {
    loadedAt: Date.now(),
    relations: rels,
    foreignKeys: [...fks, ...derived],
    settings: {
      planEnabled: raw['pgrst.db_plan_enabled'] === 'true',
      aggregatesEnabled: raw['pgrst.db_aggregates_enabled'] === 'true',
      txEnd: raw['pgrst.db_tx_end'] ?? 'commit',
    },
    ...splitFunctions(functions.rows),
  }
}

// biome-ignore lint/suspicious/noExplicitAny: catalog rows, shaped by the query above
type CatalogRow = any
function splitFunctions(rows: CatalogRow[]) {
  const all = rows.map((r) => {
    const params = r.params as { name: string; type: string; oid: number; mode: string }[]
    const inputs = params.filter((p) => p.mode === 'i' || p.mode === 'b' || p.mode === 'v')
    const outputs = params.filter((p) => p.mode === 'o' || p.mode === 'b' || p.mode === 't')
    const firstDefault = inputs.length - Number(r.n_defaults)
    const composite = outputs.length > 1 || r.is_composite
    return {
      schema: r.schema,
      name: r.name,
      volatility: r.volatility,
      returnsSet: r.returns_set,
      returnsOneRow: !r.returns_set || Number(r.est_rows) === 1,
      returnKind: r.is_void ? 'void' : composite ? 'composite' : 'scalar',
      returnType: r.return_type,
      returnRelation: r.ret_name ? { schema: r.ret_schema, name: r.ret_name } : undefined,
      columns:
        outputs.length > 1
          ? outputs.map((o) => ({
              name: o.name,
              type: o.type,
              nullable: true,
              hasDefault: false,
            }))
          : r.rel_columns,
      args: inputs.map((p, i) => ({
        name: p.name,
        type: p.type,
        typeOid: Number(p.oid),
        hasDefault: i >= firstDefault,
      })),
    } satisfies RestFunction
  })
  return {
    functions: all.filter((_, i) => rows[i]?.callable),
    rowFunctions: all.filter((f) => f.args.length === 1),
  }
}
