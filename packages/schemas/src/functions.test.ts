import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { createTestDatabase, type TestDatabase } from '@tenantbase/local-supabase/testing'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { functions } from '#src/functions.generated.ts'
import { type CatalogFunction, readCatalog } from '#src/generate/read-catalog.ts'
import { renderFunctions } from '#src/generate/render.ts'

let db: TestDatabase
let catalog: CatalogFunction[]
beforeAll(async () => {
  db = await createTestDatabase()
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  catalog = await readCatalog(client).finally(() => client.end())
})
afterAll(() => db.close())

describe('schemas of public functions', () => {
  it('has a schema for every public function, with the database argument names', () => {
    const missing = catalog.filter((fn) => !(fn.name in functions)).map((fn) => fn.name)
    expect(missing, 'public functions without a schema (run `pnpm db:generate`)').toEqual([])
    for (const fn of catalog) {
      const schema = functions[fn.name as keyof typeof functions]
      expect(Object.keys(schema.args.shape).sort(), `arguments of ${fn.name}`).toEqual(
        fn.args.map((a) => a.name).sort(),
      )
    }
  })

  it('has no schema for a function the database does not have', () => {
    const names = new Set(catalog.map((fn) => fn.name))
    expect(Object.keys(functions).filter((name) => !names.has(name))).toEqual([])
  })

  it('has no overloaded public function (PostgREST could not choose between them)', () => {
    const seen = catalog.map((fn) => fn.name)
    expect(seen.filter((name, i) => seen.indexOf(name) !== i)).toEqual([])
  })

  it('is up to date with the database (run `pnpm db:generate` when this fails)', async () => {
    const committed = await readFile(
      path.join(import.meta.dirname, 'functions.generated.ts'),
      'utf8',
    )
    expect(committed).toBe(renderFunctions(catalog))
  })
})
