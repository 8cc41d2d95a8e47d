import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '#src/testing/index.ts'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase({ adapter: 'platform' })
})
afterAll(() => db.close())

const user = { id: '6f1c2f0e-8a5b-4c7e-9d3a-2b1e0c9f8a71', email: 'ada@example.com' }

describe('auth helpers', () => {
  it('read the claims PostgREST sets for the transaction', async () => {
    const [row] = await db
      .as(user, { claims: { app_metadata: { plan: 'pro' } } })
      .query(
        `select auth.uid() as uid, auth.role() as role, auth.email() as email, auth.jwt() -> 'app_metadata' as app`,
      )
    expect(row).toEqual({
      uid: user.id,
      role: 'authenticated',
      email: user.email,
      app: { plan: 'pro' },
    })
  })

  it('return null outside a request', async () => {
    expect(await db.query('select auth.uid() as uid, auth.jwt() as jwt')).toEqual([
      { uid: null, jwt: null },
    ])
  })

  it('belong to supabase_auth_admin, like every auth table', async () => {
    const rows = await db.query(
      `select distinct pg_get_userbyid(relowner) as owner from pg_class
       where relnamespace = 'auth'::regnamespace and relkind = 'r'`,
    )
    expect(rows).toEqual([{ owner: 'supabase_auth_admin' }])
  })
})

describe('row level security', () => {
  beforeAll(async () => {
    await db.query(`
      create table public.notes (id int primary key, owner_id uuid not null, body text);
      alter table public.notes enable row level security;
      create policy notes_select on public.notes for select to authenticated
        using (owner_id = (select auth.uid()));
      insert into public.notes values (1, '${user.id}', 'mine'), (2, gen_random_uuid(), 'theirs');`)
  })

  it('is enforced for authenticated users', async () => {
    expect(await db.as(user).query('select id from public.notes')).toEqual([{ id: 1 }])
  })

  it('hides everything from anon without a policy', async () => {
    expect(await db.as('anon').query('select id from public.notes')).toEqual([])
  })

  it('is bypassed by service_role and by postgres', async () => {
    expect(await db.as('service_role').query('select id from public.notes order by id')).toEqual([
      { id: 1 },
      { id: 2 },
    ])
    expect(await db.query('select count(*)::int as n from public.notes')).toEqual([{ n: 2 }])
  })

  it('grants new public tables to the API roles by default, as Supabase does', async () => {
    const [row] = await db.query(
      `select has_table_privilege('anon', 'public.notes', 'select') as anon,
              has_table_privilege('authenticated', 'public.notes', 'insert') as authenticated`,
    )
    expect(row).toEqual({ anon: true, authenticated: true })
  })
})

describe('postgres is not a superuser', () => {
  it('has BYPASSRLS, CREATEROLE and CREATEDB but not SUPERUSER', async () => {
    expect(
      await db.query(
        `select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb from pg_roles where rolname = 'postgres'`,
      ),
    ).toEqual([{ rolsuper: false, rolbypassrls: true, rolcreaterole: true, rolcreatedb: true }])
  })

  it.each([
    [
      'switch off triggers and foreign keys',
      'set session_replication_role = replica',
      '42501',
      'permission denied to set parameter "session_replication_role"',
    ],
    [
      'copy from program',
      `copy (select 1) to program 'true'`,
      '42501',
      'permission denied to COPY to or from an external program',
    ],
    [
      'create event trigger',
      `create function public.f_evt() returns event_trigger language plpgsql as 'begin end'; create event trigger e on ddl_command_end execute function public.f_evt()`,
      '42501',
      'permission denied to create event trigger "e"',
    ],
    [
      'grant itself superuser',
      'alter role postgres superuser',
      '42501',
      'permission denied to alter role',
    ],
    [
      'take over auth.users',
      'alter table auth.users owner to postgres',
      '42501',
      'must be owner of table users',
    ],
  ])(
    'cannot %s (a migration doing it fails here as on Supabase)',
    async (_name, sql, code, message) => {
      await expect(db.query(sql)).rejects.toMatchObject({ code, message })
    },
  )

  it('may put a trigger on auth.users and reference it, as Supabase migrations do', async () => {
    await db.tx(async (q) => {
      await q(
        `create table public.profiles (id uuid primary key references auth.users (id) on delete cascade)`,
      )
      await q(
        `create function public.on_user() returns trigger language plpgsql as 'begin return new; end'`,
      )
      await q(
        `create trigger on_user after insert on auth.users for each row execute function public.on_user()`,
      )
    })
  })
})

describe('storage', () => {
  beforeAll(async () => {
    await db.query(`insert into storage.buckets (id, name) values ('b', 'b')`)
    await db.query(`insert into storage.objects (bucket_id, name) values ('b', 'a/b/c.txt')`)
  })

  it('refuses a direct delete from storage.objects, as Supabase does', async () => {
    const expected = {
      code: '42501',
      message: 'Direct deletion from storage tables is not allowed. Use the Storage API instead.',
    }
    await expect(db.query('delete from storage.objects')).rejects.toMatchObject(expected)
    await expect(db.as('service_role').query('delete from storage.objects')).rejects.toMatchObject(
      expected,
    )
    await expect(db.query('delete from storage.buckets')).rejects.toMatchObject(expected)
  })

  it('allows the delete when the Storage API setting is on', async () => {
    const rows = await db.tx(async (q) => {
      await q(`set local storage.allow_delete_query = 'true'`)
      return q('delete from storage.objects returning name')
    })
    expect(rows).toEqual([{ name: 'a/b/c.txt' }])
  })

  it('splits object names like Supabase Storage', async () => {
    expect(
      await db.query(
        `select storage.foldername('org/deal/file.tar.gz') as folders,
                storage.filename('org/deal/file.tar.gz') as file,
                storage.extension('org/deal/file.tar.gz') as ext`,
      ),
    ).toEqual([{ folders: ['org', 'deal'], file: 'file.tar.gz', ext: 'gz' }])
  })
})

describe('vault', () => {
  it('stores secrets encrypted and decrypts them for postgres', async () => {
    const [{ id }] = (await db.query(
      `select vault.create_secret('s3cr3t', 'api_key', 'demo') as id`,
    )) as [{ id: string }]
    const [stored] = await db.query('select secret from vault.secrets where id = $1', [id])
    expect(stored?.secret).not.toContain('s3cr3t')
    await db.query(`select vault.update_secret($1, 'n3w')`, [id])
    expect(
      await db.query('select name, decrypted_secret from vault.decrypted_secrets where id = $1', [
        id,
      ]),
    ).toEqual([{ name: 'api_key', decrypted_secret: 'n3w' }])
  })

  it('is closed to the API roles', async () => {
    for (const actor of ['anon', 'service_role', user] as const) {
      await expect(
        db.as(actor).query('select * from vault.decrypted_secrets'),
      ).rejects.toMatchObject({
        code: '42501',
      })
      await expect(db.as(actor).query(`select vault.create_secret('x')`)).rejects.toMatchObject({
        code: '42501',
      })
    }
  })
})
