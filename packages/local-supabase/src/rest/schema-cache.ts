import type pg from 'pg'

export type Column = { name: string; type: string }
export type RestFunction = {
  schema: string
  name: string
  args: { name: string; type: string; hasDefault: boolean }[]
  volatility: 'i' | 's' | 'v'
  returnsSet: boolean
  /** void, scalar, or composite (with its columns). */
  returnKind: 'void' | 'scalar' | 'composite'
  columns: Column[]
}
export type Relation = { schema: string; name: string; columns: Column[]; kind: string }
export type SchemaCache = { functions: RestFunction[]; relations: Relation[]; loadedAt: number }

/** Reads the functions and relations of the exposed schemas, like PostgREST's schema cache. */
export async function loadSchemaCache(
  client: pg.PoolClient,
  schemas: string[],
): Promise<SchemaCache> {
  const functions = await client.query(
    `select n.nspname as schema, p.proname as name, p.provolatile as volatility, p.proretset as returns_set,
       p.pronargdefaults as n_defaults, p.prorettype = 'void'::regtype as is_void,
       coalesce(rt.typrelid <> 0 or p.prorettype = 'record'::regtype, false) as is_composite,
       coalesce((select json_agg(json_build_object('name', coalesce(p.proargnames[i], ''), 'type', format_type(t, null),
                  'mode', coalesce(p.proargmodes[i], 'i')) order by i)
                 from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality as a(t, i)), '[]') as params,
       coalesce((select json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod)) order by a.attnum)
                 from pg_attribute a where a.attrelid = rt.typrelid and a.attnum > 0 and not a.attisdropped), '[]') as rel_columns
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     left join pg_type rt on rt.oid = p.prorettype
     where n.nspname = any ($1) and p.prokind = 'f'`,
    [schemas],
  )
  const relations = await client.query(
    `select n.nspname as schema, c.relname as name, c.relkind as kind,
       coalesce(json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod)) order by a.attnum)
         filter (where a.attnum > 0), '[]') as columns
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     where n.nspname = any ($1) and c.relkind in ('r', 'v', 'm', 'f', 'p')
     group by 1, 2, 3`,
    [schemas],
  )
  return {
    loadedAt: Date.now(),
    relations: relations.rows.map((r) => ({
      schema: r.schema,
      name: r.name,
      kind: r.kind,
      columns: r.columns,
    })),
    functions: functions.rows.map((r) => {
      const params = r.params as { name: string; type: string; mode: string }[]
      const inputs = params.filter((p) => p.mode === 'i' || p.mode === 'b' || p.mode === 'v')
      const outputs = params.filter((p) => p.mode === 'o' || p.mode === 'b' || p.mode === 't')
      const firstDefault = inputs.length - Number(r.n_defaults)
      const composite = outputs.length > 1 || r.is_composite
      return {
        schema: r.schema,
        name: r.name,
        volatility: r.volatility,
        returnsSet: r.returns_set,
        returnKind: r.is_void ? 'void' : composite ? 'composite' : 'scalar',
        columns:
          outputs.length > 1 ? outputs.map((o) => ({ name: o.name, type: o.type })) : r.rel_columns,
        args: inputs.map((p, i) => ({ name: p.name, type: p.type, hasDefault: i >= firstDefault })),
      } satisfies RestFunction
    }),
  }
}
