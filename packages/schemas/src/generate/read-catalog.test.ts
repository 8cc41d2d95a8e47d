import { createTestDatabase, type TestDatabase } from '@tenantbase/local-supabase/testing'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type CatalogFunction, readCatalog } from '#src/generate/read-catalog.ts'
import { renderFunctions } from '#src/generate/render.ts'

let db: TestDatabase
let catalog: CatalogFunction[]
beforeAll(async () => {
  db = await createTestDatabase({ adapter: 'platform' })
  await db.query(`
    create type public.stage as enum ('lead', 'won');
    create table public.things (id uuid primary key, title text not null, tags text[]);
    create function public.f_table(p_org_id uuid, p_limit integer default 10)
      returns table (id uuid, n bigint, stage public.stage) language sql as 'select null::uuid, 1::bigint, null::public.stage';
    create function public.f_rows(p_ids uuid[]) returns setof public.things language sql as 'select * from public.things';
    create function public.f_scalar(p_name text) returns jsonb language sql as 'select jsonb_build_object(''a'', 1)';
    create function public.f_void() returns void language sql as 'select';
    create function public.f_set() returns setof text language sql as 'select ''x''';`)
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  catalog = await readCatalog(client).finally(() => client.end())
})
afterAll(() => db.close())

it('reads argument names, defaults and result shapes of public functions', () => {
  const byName = Object.fromEntries(catalog.map((fn) => [fn.name, fn]))
  expect(byName.f_table?.args.map((a) => [a.name, a.type.name, a.hasDefault])).toEqual([
    ['p_org_id', 'uuid', false],
    ['p_limit', 'integer', true],
  ])
  expect(byName.f_table?.returns.kind).toBe('table')
  expect(byName.f_table?.returns.columns?.map((c) => c.name)).toEqual(['id', 'n', 'stage'])
  expect(byName.f_rows?.returns.columns?.map((c) => c.name)).toEqual(['id', 'title', 'tags'])
  expect(byName.f_rows?.args[0]?.type.element?.name).toBe('uuid')
  expect(byName.f_scalar?.returns).toEqual({ kind: 'scalar', type: { name: 'jsonb' } })
  expect(byName.f_void?.returns).toEqual({ kind: 'void' })
  expect(byName.f_set?.returns.kind).toBe('set')
})

it('renders Zod schemas that accept what PostgREST returns and refuse what it does not', async () => {
  const source = renderFunctions(catalog)
  expect(source).toContain(
    'f_table: {\n    args: z.object({ p_org_id: z.guid(), p_limit: z.number().int().nullish() }),',
  )
  expect(source).toContain(
    'returns: z.array(z.object({ id: z.guid().nullable(), n: z.number().int().nullable(), stage: z.enum(["lead","won"]).nullable() })),',
  )
  expect(source).toContain('args: z.object({ p_ids: z.array(z.guid()) }),')
  expect(source).toContain('f_void: {\n    args: z.object({}),\n    returns: z.null(),')
})
