import { createTestDatabase, type TestDatabase } from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

describe.each(['supabase', 'payload'] as const)('core schema (%s adapter)', (adapter) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase({ adapter })
  })
  afterAll(() => db.close())

  it('enables row level security on every table of core, platform and app', async () => {
    const rows = await db.query(
      `select n.nspname || '.' || c.relname as name from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       where n.nspname in ('core', 'platform', 'app', 'rbac') and c.relkind = 'r' and not c.relrowsecurity`,
    )
    expect(rows).toEqual([])
  })

  it('keeps public free of tables', async () => {
    const rows = await db.query(
      `select relname from pg_class where relnamespace = 'public'::regnamespace and relkind in ('r', 'v', 'm')`,
    )
    expect(rows).toEqual([])
  })

  it('sets search_path on every function of the project schemas', async () => {
    const rows = await db.query(
      `select p.oid::regprocedure::text as fn from pg_proc p
       where p.pronamespace::regnamespace::text in ('core', 'utils', 'platform', 'app', 'rbac', 'public')
         and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
         and not coalesce(p.proconfig::text[] @> array['search_path=""'], false)`,
    )
    expect(rows).toEqual([])
  })
})

describe('grants and the membership gate', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase()
  })
  afterAll(() => db.close())

  it('lets anon execute only the functions meant for anonymous callers', async () => {
    const rows = await db.query(
      `select p.proname as name from pg_proc p
       where p.pronamespace = 'public'::regnamespace and has_function_privilege('anon', p.oid, 'execute')
       order by 1`,
    )
    expect(rows.map((r) => r.name)).toEqual([
      'get_invitation_details',
      'list_subscription_products',
    ])
  })

  it('answers a missing or invisible row with PT404 or 42501, never P0002 (PostgREST: 500)', async () => {
    // SELECT … INTO STRICT raises P0002 (no_data_found) when nothing is found.
    const intoStrict = String.raw`\minto\s+strict\M`
    // The pattern itself, on samples: it must see INTO STRICT across lines and in any case, and
    // leave alone words that only contain it.
    const samples = [
      'select id into\n   strict v from t',
      'SELECT id INTO STRICT v',
      'select pinto strict',
      'select id into strictly_named',
    ]
    expect(
      await db.query('select s, s ~* $2 as hit from unnest($1::text[]) s', [samples, intoStrict]),
    ).toEqual([
      { s: samples[0], hit: true },
      { s: samples[1], hit: true },
      { s: samples[2], hit: false },
      { s: samples[3], hit: false },
    ])
    const rows = await db.query(
      `select p.oid::regprocedure::text as fn from pg_proc p
       where p.pronamespace::regnamespace::text in ('core', 'utils', 'platform', 'app', 'rbac', 'public')
         and (p.prosrc ilike '%P0002%' or p.prosrc ~* $1 or p.prosrc ilike '%no_data_found%')
       order by 1`,
      [intoStrict],
    )
    expect(rows).toEqual([])
  })

  it('gives every security definer function an empty search_path', async () => {
    const rows = await db.query(
      `select p.oid::regprocedure::text as fn from pg_proc p
       where p.prosecdef and p.pronamespace::regnamespace::text in ('core', 'utils', 'platform', 'app', 'rbac', 'public')
         and not coalesce(p.proconfig::text[] @> array['search_path=""'], false)`,
    )
    expect(rows).toEqual([])
  })

  it('evaluates the gate once per statement on a large table, never per row', async () => {
    const user = await db.createUser({ email: 'gate@example.com' })
    const [org] = await db.query(
      `insert into core.organizations (name, slug) values ('Big', 'big') returning id`,
    )
    const [role] = await db.query(`select rbac.create_root_role($1) as id`, [org?.id])
    await db.query(
      'insert into core.memberships (organization_id, user_id, role_id) values ($1, $2, $3)',
      [org?.id, user.id, role?.id],
    )
    await db.query(
      `insert into core.organization_files (organization_id, file_type, file_url)
       select $1, 'text/plain', 'https://files.example.com/' || g from generate_series(1, 20000) g`,
      [org?.id],
    )
    await db.query('analyze core.organization_files')
    const plan = await db.as(user).tx(async (q) => {
      const rows = await q(
        'explain (analyze, verbose, format json) select id from core.organization_files',
      )
      return JSON.stringify(rows[0]?.['QUERY PLAN'])
    })
    expect(plan).toMatch(/"Actual Rows":20000/)
    const loops = [
      ...plan.matchAll(/"Subplan Name":"InitPlan \d+"[^}]*?"Actual Loops":(\d+)/g),
    ].map((m) => m[1])
    expect(loops).toEqual(['1'])
    expect(/"Filter":"([^"]*)"/.exec(plan)?.[1]).not.toMatch(/my_organization_ids\(\)/)
  })
})
