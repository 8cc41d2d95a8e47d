import { randomUUID } from 'node:crypto'
import { createTestDatabase, type TestDatabase } from '@tenantbase/local-supabase/testing'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withUser } from '#src/with-user.ts'

let db: TestDatabase
let pool: pg.Pool
beforeAll(async () => {
  db = await createTestDatabase({ adapter: 'payload' })
  pool = new pg.Pool({ connectionString: db.urlFor('authenticator') })
})
afterAll(async () => {
  await pool.end()
  await db.close()
})

describe('withUser on plain PostgreSQL', () => {
  it('runs without any auth schema', async () => {
    expect(
      await db.query(
        `select count(*)::int as n from pg_namespace where nspname in ('auth', 'storage', 'vault')`,
      ),
    ).toEqual([{ n: 0 }])
  })

  it('identifies the caller to the core through the session variables, for one transaction', async () => {
    const userId = randomUUID()
    const row = await withUser(
      pool,
      userId,
      async (client) =>
        (
          await client.query(
            'select core.get_current_user_id() as id, core.get_current_user_email() as email, current_user as role',
          )
        ).rows[0],
      { email: 'Pay@Load.dev' },
    )
    expect(row).toEqual({ id: userId, email: 'pay@load.dev', role: 'authenticated' })
    const after = await pool
      .query(`select core.get_current_user_id() as id, current_user as role`)
      .catch((e: Error) => e)
    expect(after).toMatchObject({ code: '42501' })
  })

  it('lets a provisioned tenant be joined and used through withUser', async () => {
    const admin = randomUUID()
    const tenant = await withUser(
      pool,
      randomUUID(),
      async (client) =>
        (
          await client.query(
            `select public.provision_tenant('Payload Co', 'payload-co', 'admin@payload.dev') as t`,
          )
        ).rows[0]?.t,
      { role: 'service_role' },
    )
    await withUser(
      pool,
      admin,
      (client) =>
        client.query('select * from public.accept_invitation($1)', [tenant.invitation_token]),
      {
        email: 'admin@payload.dev',
      },
    )
    const names = await withUser(
      pool,
      admin,
      async (client) =>
        (await client.query('select name from public.list_my_organizations()')).rows,
    )
    expect(names).toEqual([{ name: 'Payload Co' }])
    expect(
      await withUser(
        pool,
        randomUUID(),
        async (client) =>
          (await client.query('select name from public.list_my_organizations()')).rows,
      ),
    ).toEqual([])
  })

  it('rolls back when fn throws and refuses ids that are not uuids', async () => {
    await expect(withUser(pool, 'not-a-uuid', async () => 1)).rejects.toThrow(
      'withUser: "not-a-uuid" is not a user id (uuid)',
    )
    const id = randomUUID()
    await expect(
      withUser(pool, id, async (client) => {
        await client.query(`select public.update_user_profile('Temp')`)
        throw new Error('stop')
      }),
    ).rejects.toThrow('stop')
    expect(
      await db.query('select count(*)::int as n from core.users_meta where user_id = $1', [id]),
    ).toEqual([{ n: 0 }])
  })
})
