import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '#src/testing/index.ts'

describe('test database harness', () => {
  let db: TestDatabase
  let other: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase({ adapter: 'platform' })
    other = await createTestDatabase({ adapter: 'platform' })
  })
  afterAll(async () => {
    await db.close()
    await other.close()
  })

  it('gives each test file its own database', async () => {
    await db.query('create table public.marker (v int)')
    await db.query('insert into public.marker values (1)')
    expect(await db.query('select v from public.marker')).toEqual([{ v: 1 }])
    await expect(other.query('select v from public.marker')).rejects.toMatchObject({
      code: '42P01',
    })
  })

  it('runs as the role and claims of the caller, like PostgREST', async () => {
    const user = { id: '8a1a6d9e-5b2e-4c1f-9a57-0c9a3c1f0e11', email: 'a@example.com' }
    const [row] = await db
      .as(user)
      .query(
        `select current_user as role, current_setting('request.jwt.claims', true)::jsonb ->> 'sub' as sub`,
      )
    expect(row).toEqual({ role: 'authenticated', sub: user.id })
    expect(await db.as('anon').query('select current_user as role')).toEqual([{ role: 'anon' }])
    expect(await db.as('service_role').query('select current_user as role')).toEqual([
      { role: 'service_role' },
    ])
    // The settings are transaction-local: nothing leaks into the next statement on the connection.
    expect(
      await db.query(`select coalesce(current_setting('request.jwt.claims', true), '') as c`),
    ).toEqual([{ c: '' }])
  })

  it('migrates as postgres, which is not a superuser', async () => {
    expect(
      await db.query(
        'select current_user as u, usesuper from pg_user where usename = current_user',
      ),
    ).toEqual([{ u: 'postgres', usesuper: false }])
  })

  it('rolls a transaction back when the callback throws', async () => {
    await db.query('create table public.rollback_probe (v int)')
    await expect(
      db.tx(async (q) => {
        await q('insert into public.rollback_probe values (1)')
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(await db.query('select * from public.rollback_probe')).toEqual([])
  })
})
