import type pg from 'pg'

/**
 * One object of a database catalog, normalized so that two databases built differently (from
 * the SQL packages, or from the migrations) compare equal when they behave the same.
 *
 * `kind` + `id` identify the object; `def` is what must be equal; `sql` holds what the
 * renderer needs to re-create it (quoted names, definitions).
 */
export type CatalogEntry = {
  kind: EntryKind
  /** Unquoted, schema-qualified identity, e.g. `core.roles`, `core.roles.name`, `public.f(uuid)`. */
  id: string
  def: string
  sql: Record<string, string>
}
export type EntryKind =
  | 'schema'
  | 'extension'
  | 'type'
  | 'table'
  | 'column'
  | 'sequence'
  | 'constraint'
  | 'index'
  | 'default privileges'
  | 'view'
  | 'function'
  | 'trigger'
  | 'policy'
  | 'row level security'
  | 'owner'
  | 'privileges'
  | 'comment'
  | 'data'

export type Catalog = Map<string, CatalogEntry>
export const entryKey = (kind: EntryKind, id: string) => `${kind} ${id}`

// Schemas of PostgreSQL itself and of the migration bookkeeping; everything else is compared.
const SCOPE = (nsp: string) =>
  `${nsp}.nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'supabase_migrations')
   and ${nsp}.nspname !~ '^pg_(temp|toast_temp)_'`
// Objects that belong to an extension are the extension's business, not the migrations'.
const NOT_EXTENSION = (catalog: string, oid: string) =>
  `not exists (select 1 from pg_depend e where e.classid = '${catalog}'::regclass and e.objid = ${oid} and e.deptype = 'e')`
// An ACL as a sorted list of "grantee:PRIVILEGE[*]"; a null ACL means the default one.
const ACL = (acl: string) =>
  `(select coalesce(jsonb_agg(x order by x), '[]') from (
     select case when a.grantee = 0 then 'public' else pg_get_userbyid(a.grantee) end || ':' || a.privilege_type
       || case when a.is_grantable then '*' else '' end as x
     from aclexplode(${acl}) a) s)`

type Row = Record<string, unknown>

// The platform's own tables hold per-database secrets (vault.keys) and bookkeeping; of them,
// migrations write only storage buckets.
const PLATFORM_SCHEMAS = new Set(['auth', 'storage', 'vault', 'extensions', 'realtime', 'graphql'])
const holdsReferenceData = (table: string) =>
  table === 'storage.buckets' || !PLATFORM_SCHEMAS.has(table.split('.')[0] ?? '')
const json = (value: unknown) => JSON.stringify(value)

/** Reads every object the migrations can create. Run as a superuser; read-only. */
export async function readCatalog(client: pg.ClientBase): Promise<Catalog> {
  // Qualified names everywhere (regprocedure, format_type) whatever the caller's search_path.
  await client.query(`set search_path = ''`)
  const catalog: Catalog = new Map()
  const add = (kind: EntryKind, id: string, def: unknown, sql: Record<string, string> = {}) => {
    catalog.set(entryKey(kind, id), {
      kind,
      id,
      def: typeof def === 'string' ? def : json(def),
      sql,
    })
  }
  const rows = async (text: string) => (await client.query(text)).rows as Row[]
  const s = (value: unknown) => String(value ?? '')

  for (const r of await rows(`
    select n.nspname as name, quote_ident(n.nspname) as q, pg_get_userbyid(n.nspowner) as owner,
      ${ACL('coalesce(n.nspacl, acldefault(\'n\'::"char", n.nspowner))')} as acl
    from pg_namespace n where ${SCOPE('n')} and ${NOT_EXTENSION('pg_namespace', 'n.oid')}`)) {
    add('schema', s(r.name), '', { name: s(r.q) })
    add('owner', `schema ${s(r.name)}`, s(r.owner), {
      target: `schema ${s(r.q)}`,
      owner: s(r.owner),
    })
    add('privileges', `schema ${s(r.name)}`, r.acl, { target: `schema ${s(r.q)}` })
  }

  for (const r of await rows(`
    select e.extname as name, e.extversion as version, n.nspname as schema
    from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname <> 'plpgsql'`)) {
    add('extension', s(r.name), { version: r.version, schema: r.schema })
  }

  for (const r of await rows(`
    select n.nspname || '.' || t.typname as name, format('%I.%I', n.nspname, t.typname) as q, t.typtype,
      pg_get_userbyid(t.typowner) as owner,
      (select string_agg(quote_literal(e.enumlabel), ', ' order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid) as labels,
      (select string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod), ', ' order by a.attnum)
         from pg_attribute a where a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped) as attributes,
      case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod) end as base, t.typnotnull, t.typdefault,
      (select string_agg(pg_get_constraintdef(c.oid), ' ' order by c.conname) from pg_constraint c where c.contypid = t.oid) as checks,
      ${ACL('coalesce(t.typacl, acldefault(\'T\'::"char", t.typowner))')} as acl
    from pg_type t join pg_namespace n on n.oid = t.typnamespace
    where ${SCOPE('n')} and ${NOT_EXTENSION('pg_type', 't.oid')}
      and (t.typtype in ('e', 'd', 'r', 'm') or (t.typtype = 'c' and (select c.relkind from pg_class c where c.oid = t.typrelid) = 'c'))`)) {
    add('type', s(r.name), {
      typtype: r.typtype,
      labels: r.labels,
      attributes: r.attributes,
      base: r.base,
      notnull: r.typnotnull,
      default: r.typdefault,
      checks: r.checks,
    })
    const keyword = r.typtype === 'd' ? 'domain' : 'type'
    add('owner', `type ${s(r.name)}`, s(r.owner), {
      target: `${keyword} ${s(r.q)}`,
      owner: s(r.owner),
    })
    add('privileges', `type ${s(r.name)}`, r.acl, { target: `${keyword} ${s(r.q)}` })
  }

  const relations = await rows(`
    select c.oid, c.relkind, n.nspname || '.' || c.relname as name, format('%I.%I', n.nspname, c.relname) as q,
      pg_get_userbyid(c.relowner) as owner, c.relrowsecurity, c.relforcerowsecurity, c.relpersistence,
      array_to_string(c.reloptions, ', ') as options,
      case when c.relkind in ('v', 'm') then pg_get_viewdef(c.oid, true) end as viewdef,
      ${ACL(`coalesce(c.relacl, acldefault((case when c.relkind = 'S' then 's' else 'r' end)::"char", c.relowner))`)} as acl,
      case when c.relkind = 'S' then (select row_to_json(q)::text from (select format_type(sq.seqtypid, null) as type,
        sq.seqstart, sq.seqincrement, sq.seqmax, sq.seqmin, sq.seqcache, sq.seqcycle from pg_sequence sq where sq.seqrelid = c.oid) q) end as seq,
      exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i')) as owned_by_column
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f') and ${SCOPE('n')} and ${NOT_EXTENSION('pg_class', 'c.oid')}`)
  const keywordOf: Record<string, string> = {
    r: 'table',
    p: 'table',
    f: 'foreign table',
    v: 'view',
    m: 'materialized view',
    S: 'sequence',
  }
  const tables = new Map<string, Row>()
  for (const r of relations) {
    const name = s(r.name)
    const keyword = keywordOf[s(r.relkind)] ?? 'table'
    if (r.relkind === 'S' && r.owned_by_column) continue
    if (r.relkind === 'r' || r.relkind === 'p' || r.relkind === 'f') {
      tables.set(s(r.oid), r)
      add(
        'table',
        name,
        { kind: r.relkind, persistence: r.relpersistence, options: r.options ?? '' },
        { name: s(r.q) },
      )
      add(
        'row level security',
        name,
        { enabled: r.relrowsecurity, forced: r.relforcerowsecurity },
        { name: s(r.q) },
      )
    } else if (r.relkind === 'v') {
      add(
        'view',
        name,
        { def: r.viewdef, options: r.options ?? '' },
        {
          name: s(r.q),
          def: s(r.viewdef),
          options: s(r.options),
        },
      )
    } else if (r.relkind === 'm') {
      add('table', name, { kind: 'm', def: r.viewdef }, { name: s(r.q) })
    } else if (r.relkind === 'S') {
      add('sequence', name, s(r.seq), { name: s(r.q) })
    }
    add('owner', `${keyword} ${name}`, s(r.owner), {
      target: `${keyword} ${s(r.q)}`,
      owner: s(r.owner),
    })
    add('privileges', `${keyword} ${name}`, r.acl, {
      target: `${keyword === 'view' || keyword === 'materialized view' || keyword === 'foreign table' ? 'table' : keyword} ${s(r.q)}`,
    })
  }

  for (const r of await rows(`
    select n.nspname || '.' || c.relname as tbl, format('%I.%I', n.nspname, c.relname) as q, a.attname, quote_ident(a.attname) as qa,
      format_type(a.atttypid, a.atttypmod) as type, a.attnotnull, pg_get_expr(d.adbin, d.adrelid) as "default",
      a.attidentity, a.attgenerated, c.relkind,
      case when a.attacl is not null then ${ACL('a.attacl')} end as acl
    from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where c.relkind in ('r', 'p', 'f', 'v', 'm') and a.attnum > 0 and not a.attisdropped
      and ${SCOPE('n')} and ${NOT_EXTENSION('pg_class', 'c.oid')}`)) {
    const id = `${s(r.tbl)}.${s(r.attname)}`
    if (r.relkind !== 'v') {
      add(
        'column',
        id,
        {
          type: r.type,
          notnull: r.attnotnull,
          default: r.default,
          identity: r.attidentity,
          generated: r.attgenerated,
        },
        {
          table: s(r.q),
          column: s(r.qa),
          type: s(r.type),
          notnull: r.attnotnull ? 'not null' : '',
          default: s(r.default),
        },
      )
    }
    if (r.acl) add('privileges', `column ${id}`, r.acl, { table: s(r.q), column: s(r.qa) })
  }

  for (const r of await rows(`
    select n.nspname || '.' || c.relname as tbl, format('%I.%I', n.nspname, c.relname) as q, con.conname,
      quote_ident(con.conname) as qc, con.contype, pg_get_constraintdef(con.oid) as def
    from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
    where con.contype <> 'n' and ${SCOPE('n')} and ${NOT_EXTENSION('pg_class', 'c.oid')}`)) {
    add('constraint', `${s(r.tbl)}.${s(r.conname)}`, s(r.def), {
      table: s(r.q),
      name: s(r.qc),
      def: s(r.def),
    })
  }

  for (const r of await rows(`
    select n.nspname || '.' || ci.relname as name, format('%I.%I', n.nspname, ci.relname) as q,
      nt.nspname || '.' || ct.relname as tbl, pg_get_indexdef(i.indexrelid) as def
    from pg_index i join pg_class ci on ci.oid = i.indexrelid join pg_namespace n on n.oid = ci.relnamespace
    join pg_class ct on ct.oid = i.indrelid join pg_namespace nt on nt.oid = ct.relnamespace
    where ${SCOPE('n')} and ${NOT_EXTENSION('pg_class', 'ct.oid')}
      and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid and k.contype in ('p', 'u', 'x'))`)) {
    add('index', s(r.name), s(r.def), { name: s(r.q), table: s(r.tbl), def: s(r.def) })
  }

  for (const r of await rows(`
    select pg_get_userbyid(d.defaclrole) as role, coalesce(n.nspname, '') as schema, d.defaclobjtype as type,
      ${ACL('d.defaclacl')} as acl
    from pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace`)) {
    add('default privileges', `${s(r.role)} ${s(r.schema) || '*'} ${s(r.type)}`, r.acl, {
      schema: s(r.schema),
    })
  }

  for (const r of await rows(`
    select p.oid::regprocedure::text as id, pg_get_functiondef(p.oid) as def, pg_get_function_arguments(p.oid) as args,
      pg_get_function_result(p.oid) as result, p.prokind, pg_get_userbyid(p.proowner) as owner,
      ${ACL('coalesce(p.proacl, acldefault(\'f\'::"char", p.proowner))')} as acl
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where p.prokind in ('f', 'p') and ${SCOPE('n')} and ${NOT_EXTENSION('pg_proc', 'p.oid')}`)) {
    const keyword = r.prokind === 'p' ? 'procedure' : 'function'
    // The id as regprocedure prints it is also valid SQL naming the function.
    add('function', s(r.id), s(r.def), {
      name: s(r.id),
      keyword,
      def: s(r.def),
      signature: `${s(r.args)} -> ${s(r.result)}`,
    })
    add('owner', `${keyword} ${s(r.id)}`, s(r.owner), {
      target: `${keyword} ${s(r.id)}`,
      owner: s(r.owner),
    })
    add('privileges', `${keyword} ${s(r.id)}`, r.acl, { target: `${keyword} ${s(r.id)}` })
  }

  for (const r of await rows(`
    select n.nspname || '.' || c.relname as tbl, format('%I.%I', n.nspname, c.relname) as q, t.tgname,
      quote_ident(t.tgname) as qt, pg_get_triggerdef(t.oid) as def, t.tgenabled
    from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
    where not t.tgisinternal and ${SCOPE('n')} and ${NOT_EXTENSION('pg_trigger', 't.oid')}`)) {
    add(
      'trigger',
      `${s(r.tbl)}.${s(r.tgname)}`,
      { def: r.def, enabled: r.tgenabled },
      {
        table: s(r.q),
        name: s(r.qt),
        def: s(r.def),
        enabled: s(r.tgenabled),
      },
    )
  }

  for (const r of await rows(`
    select n.nspname || '.' || c.relname as tbl, format('%I.%I', n.nspname, c.relname) as q, p.polname,
      quote_ident(p.polname) as qp, p.polcmd, p.polpermissive,
      (select string_agg(x, ', ' order by x) from (select case when r = 0 then 'public' else quote_ident(pg_get_userbyid(r)) end as x
         from unnest(p.polroles) r) roles) as roles,
      pg_get_expr(p.polqual, p.polrelid) as qual, pg_get_expr(p.polwithcheck, p.polrelid) as with_check
    from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
    where ${SCOPE('n')}`)) {
    const commands: Record<string, string> = {
      r: 'select',
      a: 'insert',
      w: 'update',
      d: 'delete',
      '*': 'all',
    }
    add(
      'policy',
      `${s(r.tbl)}.${s(r.polname)}`,
      {
        cmd: r.polcmd,
        permissive: r.polpermissive,
        roles: r.roles,
        qual: r.qual,
        with_check: r.with_check,
      },
      {
        table: s(r.q),
        name: s(r.qp),
        as: r.polpermissive ? 'permissive' : 'restrictive',
        for: commands[s(r.polcmd)] ?? 'all',
        to: s(r.roles),
        using: r.qual == null ? '' : s(r.qual),
        check: r.with_check == null ? '' : s(r.with_check),
      },
    )
  }

  for (const r of await rows(`
    with described as (
      select d.description,
        case c.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'S' then 'sequence'
          when 'i' then 'index' when 'I' then 'index' when 'f' then 'foreign table' else 'table' end as keyword,
        n.nspname || '.' || c.relname as name, format('%I.%I', n.nspname, c.relname) as q, null::text as sub, null::text as qsub, n.nspname as nsp
      from pg_description d join pg_class c on d.classoid = 'pg_class'::regclass and c.oid = d.objoid and d.objsubid = 0
      join pg_namespace n on n.oid = c.relnamespace
      union all
      select d.description, 'column', n.nspname || '.' || c.relname || '.' || a.attname,
        format('%I.%I.%I', n.nspname, c.relname, a.attname), null, null, n.nspname
      from pg_description d join pg_class c on d.classoid = 'pg_class'::regclass and c.oid = d.objoid and d.objsubid > 0
      join pg_attribute a on a.attrelid = c.oid and a.attnum = d.objsubid join pg_namespace n on n.oid = c.relnamespace
      union all
      select d.description, case p.prokind when 'p' then 'procedure' else 'function' end, p.oid::regprocedure::text,
        p.oid::regprocedure::text, null, null, n.nspname
      from pg_description d join pg_proc p on d.classoid = 'pg_proc'::regclass and p.oid = d.objoid
      join pg_namespace n on n.oid = p.pronamespace
      union all
      select d.description, 'schema', n.nspname, quote_ident(n.nspname), null, null, n.nspname
      from pg_description d join pg_namespace n on d.classoid = 'pg_namespace'::regclass and n.oid = d.objoid
      union all
      select d.description, case t.typtype when 'd' then 'domain' else 'type' end, n.nspname || '.' || t.typname,
        format('%I.%I', n.nspname, t.typname), null, null, n.nspname
      from pg_description d join pg_type t on d.classoid = 'pg_type'::regclass and t.oid = d.objoid
      join pg_namespace n on n.oid = t.typnamespace
      union all
      select d.description, 'trigger', n.nspname || '.' || c.relname, format('%I.%I', n.nspname, c.relname),
        t.tgname, quote_ident(t.tgname), n.nspname
      from pg_description d join pg_trigger t on d.classoid = 'pg_trigger'::regclass and t.oid = d.objoid
      join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
      union all
      select d.description, 'policy', n.nspname || '.' || c.relname, format('%I.%I', n.nspname, c.relname),
        p.polname, quote_ident(p.polname), n.nspname
      from pg_description d join pg_policy p on d.classoid = 'pg_policy'::regclass and p.oid = d.objoid
      join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
      union all
      select d.description, 'constraint', n.nspname || '.' || c.relname, format('%I.%I', n.nspname, c.relname),
        k.conname, quote_ident(k.conname), n.nspname
      from pg_description d join pg_constraint k on d.classoid = 'pg_constraint'::regclass and k.oid = d.objoid
      join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
    )
    select * from described n where ${SCOPE('n').replaceAll('n.nspname', 'n.nsp')}`)) {
    const id = `${s(r.keyword)} ${r.sub ? `${s(r.sub)} on ` : ''}${s(r.name)}`
    const target = `${s(r.keyword)} ${r.qsub ? `${s(r.qsub)} on ` : ''}${s(r.q)}`
    add('comment', id, s(r.description), { target, text: s(r.description) })
  }

  // Rows of a freshly migrated database are reference data (permission codes, settings,
  // buckets): compared without the columns whose values differ run to run.
  for (const table of tables.values()) {
    if (table.relkind === 'f' || !holdsReferenceData(s(table.name))) continue
    const columns = await rows(`
      select a.attname, quote_ident(a.attname) as q,
        (format_type(a.atttypid, null) ~ '^(timestamp|date|time)' or a.attidentity <> ''
          or coalesce(pg_get_expr(d.adbin, d.adrelid), '') ~* '(gen_random_uuid|uuid_generate|nextval|now\\(\\)|clock_timestamp|random\\()') as volatile,
        a.attgenerated <> '' or a.attidentity = 'a' as not_insertable
      from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where a.attrelid = ${Number(table.oid)} and a.attnum > 0 and not a.attisdropped order by a.attnum`)
    const stable = columns.filter((c) => !c.volatile).map((c) => s(c.q))
    const insertable = columns.filter((c) => !c.not_insertable).map((c) => s(c.q))
    const { rows: data } = await client.query<{ key: string; full: unknown }>(
      `select jsonb_build_object(${stable.map((c) => `'${c.replaceAll("'", "''")}', t.${c}`).join(', ')})::text as key,
         to_jsonb(t) as full from ${s(table.q)} t`,
    )
    if (data.length === 0) continue
    const keys = data.map((d) => d.key).sort()
    add('data', s(table.name), keys, {
      table: s(table.q),
      columns: insertable.join(', '),
      rows: JSON.stringify(data.map((d) => ({ key: d.key, full: d.full }))),
    })
  }

  return catalog
}
