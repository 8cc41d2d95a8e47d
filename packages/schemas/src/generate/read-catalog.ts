import type pg from 'pg'

export type CatalogType = {
  name: string
  enumValues?: string[]
  columns?: CatalogColumn[]
  element?: CatalogType
}
export type CatalogColumn = { name: string; type: CatalogType }
export type CatalogArg = { name: string; type: CatalogType; hasDefault: boolean }
export type CatalogFunction = {
  name: string
  args: CatalogArg[]
  /** `table`: RETURNS TABLE(...) or SETOF a row type; `set`: SETOF a scalar; `scalar`: one value. */
  returns: {
    kind: 'void' | 'scalar' | 'set' | 'table'
    type?: CatalogType
    columns?: CatalogColumn[]
  }
}

type ProcRow = {
  name: string
  arg_names: string[] | null
  arg_modes: string[] | null
  arg_types: string[]
  all_arg_types: string[] | null
  n_defaults: number
  ret_type: string
  ret_set: boolean
}

/**
 * Reads every function of the `public` schema (the RPC surface PostgREST exposes) with its
 * argument names, types and defaults and its result shape.
 */
export async function readCatalog(client: pg.ClientBase): Promise<CatalogFunction[]> {
  const { rows } = await client.query<ProcRow>(`
    select p.proname as name, p.proargnames as arg_names, p.proargmodes::text[] as arg_modes,
      p.proargtypes::oid[]::text[] as arg_types, p.proallargtypes::text[] as all_arg_types,
      p.pronargdefaults as n_defaults, p.prorettype::text as ret_type, p.proretset as ret_set
    from pg_catalog.pg_proc p
    where p.pronamespace = 'public'::regnamespace and p.prokind = 'f'
      and not exists (select 1 from pg_catalog.pg_depend d
                      where d.objid = p.oid and d.deptype = 'e')
    order by p.proname, p.oid`)
  const types = typeReader(client)
  const functions: CatalogFunction[] = []
  for (const row of rows) {
    const modes = row.arg_modes ?? row.arg_types.map(() => 'i')
    const allTypes = row.all_arg_types ?? row.arg_types
    const names = row.arg_names ?? []
    const inputs: { name: string; oid: string }[] = []
    const outputs: { name: string; oid: string }[] = []
    modes.forEach((mode, index) => {
      const entry = { name: names[index] ?? `$${index + 1}`, oid: allTypes[index] ?? '' }
      if (mode === 'i' || mode === 'b' || mode === 'v') inputs.push(entry)
      if (mode === 'o' || mode === 'b' || mode === 't') outputs.push(entry)
    })
    const firstDefault = inputs.length - row.n_defaults
    const args: CatalogArg[] = []
    for (const [index, input] of inputs.entries()) {
      args.push({
        name: input.name,
        type: await types.read(input.oid),
        hasDefault: index >= firstDefault,
      })
    }
    functions.push({ name: row.name, args, returns: await readReturns(row, outputs, types) })
  }
  return functions
}

async function readReturns(
  row: ProcRow,
  outputs: { name: string; oid: string }[],
  types: TypeReader,
): Promise<CatalogFunction['returns']> {
  // One client runs one query at a time: read the column types in turn.
  const columnsOf = async (list: { name: string; oid: string }[]) => {
    const columns: CatalogColumn[] = []
    for (const o of list) columns.push({ name: o.name, type: await types.read(o.oid) })
    return columns
  }
  if (outputs.length > 1 || (outputs.length === 1 && row.ret_set && row.ret_type === '2249')) {
    return { kind: 'table', columns: await columnsOf(outputs) }
  }
  const type = await types.read(row.ret_type)
  if (type.name === 'void') return { kind: 'void' }
  if (row.ret_set) {
    return type.columns ? { kind: 'table', columns: type.columns } : { kind: 'set', type }
  }
  return { kind: 'scalar', type }
}

type TypeReader = { read(oid: string): Promise<CatalogType> }

function typeReader(client: pg.ClientBase): TypeReader {
  const cache = new Map<string, CatalogType>()
  const read = async (oid: string): Promise<CatalogType> => {
    const cached = cache.get(oid)
    if (cached) return cached
    const { rows } = await client.query<{
      name: string
      typtype: string
      typrelid: string
      typelem: string
      typcategory: string
      basetype: string
    }>(
      `select format_type(t.oid, null) as name, t.typtype, t.typrelid::text as typrelid,
         t.typelem::text as typelem, t.typcategory, t.typbasetype::text as basetype
       from pg_catalog.pg_type t where t.oid = $1::oid`,
      [oid],
    )
    const row = rows[0]
    if (!row) return { name: 'unknown' }
    let type: CatalogType = { name: row.name }
    if (row.typtype === 'd') {
      type = { ...(await read(row.basetype)), name: row.name }
    } else if (row.typtype === 'e') {
      const values = await client.query<{ v: string }>(
        'select enumlabel as v from pg_catalog.pg_enum where enumtypid = $1::oid order by enumsortorder',
        [oid],
      )
      type.enumValues = values.rows.map((v) => v.v)
    } else if (row.typtype === 'c') {
      const columns = await client.query<{ name: string; oid: string }>(
        `select attname as name, atttypid::text as oid from pg_catalog.pg_attribute
         where attrelid = $1::oid and attnum > 0 and not attisdropped order by attnum`,
        [row.typrelid],
      )
      type.columns = []
      for (const column of columns.rows) {
        type.columns.push({ name: column.name, type: await read(column.oid) })
      }
    } else if (row.typcategory === 'A' && row.typelem !== '0') {
      const element = await read(row.typelem)
      type = { name: `${element.name}[]`, element }
    }
    cache.set(oid, type)
    return type
  }
  return { read }
}
