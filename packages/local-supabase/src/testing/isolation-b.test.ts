import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '#src/testing/index.ts'

// isolation-a and isolation-b run in parallel workers, writing the same table name at the same
// time; each must see only its own rows.
let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase({ adapter: 'platform' })
})
afterAll(() => db.close())

it('sees only the rows of its own database while another file writes the same table', async () => {
  await db.query('create table public.shared_name (file text)')
  for (let i = 0; i < 20; i++) {
    await db.query('insert into public.shared_name values ($1)', ['b'])
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  expect(
    await db.query(
      'select distinct file, count(*)::int as n from public.shared_name group by file',
    ),
  ).toEqual([{ file: 'b', n: 20 }])
})
