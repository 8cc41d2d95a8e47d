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
