import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readSqlFolder } from '#src/db/sql-files.ts'
import { createTestDatabase, type TestDatabase } from '#src/testing/index.ts'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase({ adapter: 'platform' })
})
afterAll(() => db.close())

const user = { id: '6f1c2f0e-8a5b-4c7e-9d3a-2b1e0c9f8a71', email: 'ada@example.com' }
const denied = (message: string) => ({ code: '42501', message })

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

  it('read the legacy per-claim settings Storage sets', async () => {
    const rows = await db.tx(async (q) => {
      await q(`select set_config('request.jwt.claim.sub', $1, true)`, [user.id])
      await q(`select set_config('request.jwt.claim.role', 'authenticated', true)`)
      return q('select auth.uid() as uid, auth.role() as role, auth.jwt() as jwt')
    })
    expect(rows).toEqual([{ uid: user.id, role: 'authenticated', jwt: null }])
  })

  it('return null outside a request', async () => {
    expect(
      await db.query(
        'select auth.uid() as uid, auth.role() as role, auth.email() as email, auth.jwt() as jwt',
      ),
    ).toEqual([{ uid: null, role: null, email: null, jwt: null }])
  })

  it('forget the claims when the transaction ends, on the same connection', async () => {
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    try {
      await client.query('begin')
      await client.query(`select set_config('request.jwt.claims', $1, true)`, [
        JSON.stringify({ sub: user.id, role: 'authenticated', email: user.email }),
      ])
      const inside = await client.query('select auth.uid() as uid, auth.email() as email')
      await client.query('commit')
      // The setting now exists with an empty value: the helpers must still answer null.
      const after = await client.query(
        `select current_setting('request.jwt.claims', true) as raw, auth.uid() as uid,
                auth.role() as role, auth.email() as email, auth.jwt() as jwt`,
      )
      expect(inside.rows).toEqual([{ uid: user.id, email: user.email }])
      expect(after.rows).toEqual([{ raw: '', uid: null, role: null, email: null, jwt: null }])
    } finally {
      await client.end()
    }
  })
})

describe('auth schema', () => {
  it('belongs to supabase_auth_admin, tables and functions alike', async () => {
    const rows = await db.query(
      `select distinct pg_get_userbyid(relowner) as owner from pg_class
       where relnamespace = 'auth'::regnamespace and relkind in ('r', 'S', 'i')
       union
       select distinct pg_get_userbyid(proowner) from pg_proc where pronamespace = 'auth'::regnamespace
       union
       select pg_get_userbyid(nspowner) from pg_namespace where nspname = 'auth'`,
    )
    expect(rows).toEqual([{ owner: 'supabase_auth_admin' }])
  })

  it('is where GoTrue works: supabase_auth_admin sees auth first and may create in the database', async () => {
    expect(
      await db.asAuthAdmin.query(
        `select current_setting('search_path') as search_path,
                has_database_privilege(current_database(), 'create') as can_create,
                (select count(*)::int from users) as users`,
      ),
    ).toEqual([{ search_path: 'auth', can_create: true, users: 0 }])
  })

  it('has RLS enabled on every table, without policies', async () => {
    const rows = await db.query(
      `select count(*)::int as tables,
              count(*) filter (where not relrowsecurity)::int as without_rls,
              (select count(*)::int from pg_policies where schemaname = 'auth') as policies
       from pg_class where relnamespace = 'auth'::regnamespace and relkind = 'r'`,
    )
    expect(rows).toEqual([{ tables: 12, without_rls: 0, policies: 0 }])
  })

  it('keeps auth.users in its final GoTrue shape', async () => {
    const columns = await db.query<{ column_name: string }>(
      `select column_name from information_schema.columns
       where table_schema = 'auth' and table_name = 'users' order by ordinal_position`,
    )
    expect(columns.map((c) => c.column_name)).toEqual([
      'instance_id',
      'id',
      'aud',
      'role',
      'email',
      'encrypted_password',
      'email_confirmed_at',
      'invited_at',
      'confirmation_token',
      'confirmation_sent_at',
      'recovery_token',
      'recovery_sent_at',
      'email_change_token_new',
      'email_change',
      'email_change_sent_at',
      'last_sign_in_at',
      'raw_app_meta_data',
      'raw_user_meta_data',
      'is_super_admin',
      'created_at',
      'updated_at',
      'phone',
      'phone_confirmed_at',
      'phone_change',
      'phone_change_token',
      'phone_change_sent_at',
      'confirmed_at',
      'email_change_token_current',
      'email_change_confirm_status',
      'banned_until',
      'reauthentication_token',
      'reauthentication_sent_at',
      'is_sso_user',
      'deleted_at',
      'is_anonymous',
    ])
  })

  it('keeps auth.flow_state in its GoTrue v2.189 shape (PKCE columns nullable)', async () => {
    const columns = await db.query<{ column_name: string; is_nullable: string }>(
      `select column_name, is_nullable from information_schema.columns
       where table_schema = 'auth' and table_name = 'flow_state' order by ordinal_position`,
    )
    expect(
      columns.map((c) => `${c.column_name}${c.is_nullable === 'NO' ? ' not null' : ''}`),
    ).toEqual([
      'id not null',
      'user_id',
      'auth_code',
      'code_challenge_method',
      'code_challenge',
      'provider_type not null',
      'provider_access_token',
      'provider_refresh_token',
      'created_at',
      'updated_at',
      'authentication_method not null',
      'auth_code_issued_at',
      'invite_token',
      'referrer',
      'oauth_client_state_id',
      'linking_target_id',
      'email_optional not null',
    ])
    const indexes = await db.query<{ indexname: string }>(
      `select indexname from pg_indexes where schemaname = 'auth' and tablename = 'flow_state' order by indexname`,
    )
    expect(indexes.map((i) => i.indexname)).toEqual([
      'flow_state_created_at_idx',
      'flow_state_pkey',
      'idx_auth_code',
      'idx_user_id_auth_method',
    ])
  })

  it('lets postgres read and write auth.users, with the constraints GoTrue relies on', async () => {
    const id = '0b6f3c1e-7d2a-4e59-8c41-5a9e2f7b3d10'
    const [row] = await db.query(
      `insert into auth.users (id, email, phone, email_confirmed_at, phone_confirmed_at)
       values ($1, 'grace@example.com', '15550100', '2026-01-02', '2026-01-01')
       returning confirmed_at = '2026-01-01'::timestamptz as least_confirmed, is_anonymous, is_sso_user`,
      [id],
    )
    expect(row).toEqual({ least_confirmed: true, is_anonymous: false, is_sso_user: false })
    await expect(
      db.query(
        `insert into auth.users (id, email) values (gen_random_uuid(), 'grace@example.com')`,
      ),
    ).rejects.toMatchObject({
      code: '23505',
      message: 'duplicate key value violates unique constraint "users_email_partial_key"',
    })
    await expect(
      db.query(`insert into auth.users (id, phone) values (gen_random_uuid(), '15550100')`),
    ).rejects.toMatchObject({
      code: '23505',
      message: 'duplicate key value violates unique constraint "users_phone_key"',
    })
    // An SSO user may share the email: the unique index is partial.
    await db.query(
      `insert into auth.users (id, email, is_sso_user) values (gen_random_uuid(), 'grace@example.com', true)`,
    )
    await db.query(`update auth.users set raw_user_meta_data = '{"a":1}' where id = $1`, [id])
    expect(await db.query('delete from auth.users where id = $1 returning email', [id])).toEqual([
      { email: 'grace@example.com' },
    ])
  })

  it('gives postgres select with grant option, but only read access to GoTrue bookkeeping', async () => {
    const [row] = await db.query(
      `select has_table_privilege('auth.users', 'select with grant option') as users_grantable,
              has_table_privilege('auth.schema_migrations', 'select') as migrations_read`,
    )
    expect(row).toEqual({ users_grantable: true, migrations_read: true })
    await expect(
      db.query(`insert into auth.schema_migrations values ('20990101000000')`),
    ).rejects.toMatchObject(denied('permission denied for table schema_migrations'))
  })

  it('does not let postgres create objects in the auth schema', async () => {
    await expect(db.query('create table auth.extra (id int)')).rejects.toMatchObject(
      denied('permission denied for schema auth'),
    )
  })

  it('is closed to the API roles', async () => {
    for (const actor of ['anon', user, 'service_role'] as const) {
      await expect(db.as(actor).query('select id from auth.users')).rejects.toMatchObject(
        denied('permission denied for table users'),
      )
    }
  })
})

describe('row level security', () => {
  beforeAll(async () => {
    await db.query(`
      create table public.notes (
        id int primary key, owner_id uuid not null, is_public bool not null, body text);
      alter table public.notes enable row level security;
      create policy notes_select on public.notes for select to authenticated
        using (owner_id = (select auth.uid()));
      create policy notes_select_public on public.notes for select to anon using (is_public);
      create policy notes_insert on public.notes for insert to authenticated
        with check (owner_id = (select auth.uid()));
      insert into public.notes values
        (1, '${user.id}', false, 'mine'),
        (2, gen_random_uuid(), false, 'theirs'),
        (3, gen_random_uuid(), true, 'public');`)
  })

  it('is enforced for authenticated users', async () => {
    expect(await db.as(user).query('select id from public.notes')).toEqual([{ id: 1 }])
    await expect(
      db.as(user).query(`insert into public.notes values (4, gen_random_uuid(), false, 'forged')`),
    ).rejects.toMatchObject(denied('new row violates row-level security policy for table "notes"'))
    expect(
      await db
        .as(user)
        .query(`insert into public.notes values (5, $1, false, 'own') returning id`, [user.id]),
    ).toEqual([{ id: 5 }])
  })

  it('is enforced for anon', async () => {
    expect(await db.as('anon').query('select id from public.notes')).toEqual([{ id: 3 }])
    await expect(
      db.as('anon').query(`insert into public.notes values (6, gen_random_uuid(), true, 'x')`),
    ).rejects.toMatchObject(denied('new row violates row-level security policy for table "notes"'))
  })

  it('is bypassed by service_role and by postgres', async () => {
    expect(
      await db.as('service_role').query('select id from public.notes where id < 4 order by id'),
    ).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }])
    expect(await db.query('select count(*)::int as n from public.notes where id < 4')).toEqual([
      { n: 3 },
    ])
  })
})

describe('public schema and extensions', () => {
  it('grants what postgres and supabase_admin create in public to the API roles', async () => {
    await db.query(`
      create table public.by_postgres (id bigint generated always as identity primary key);
      create function public.answer() returns int language sql as 'select 42';`)
    await db.superuser.query('create table public.by_admin (id int)')
    const [row] = await db.query(
      `select has_table_privilege('anon', 'public.by_postgres', 'select') as anon_table,
              has_table_privilege('authenticated', 'public.by_postgres', 'insert') as auth_table,
              has_sequence_privilege('authenticated', 'public.by_postgres_id_seq', 'usage') as auth_seq,
              has_function_privilege('anon', 'public.answer()', 'execute') as anon_function,
              has_table_privilege('service_role', 'public.by_admin', 'delete') as admin_table,
              has_table_privilege('postgres', 'public.by_admin', 'truncate') as postgres_admin_table`,
    )
    expect(row).toEqual({
      anon_table: true,
      auth_table: true,
      auth_seq: true,
      anon_function: true,
      admin_table: true,
      postgres_admin_table: true,
    })
  })

  it('does not let the API roles create objects in public', async () => {
    for (const actor of ['anon', user, 'service_role'] as const) {
      await expect(db.as(actor).query('create table public.t (id int)')).rejects.toMatchObject(
        denied('permission denied for schema public'),
      )
    }
  })

  it('serves pgcrypto and uuid-ossp from the extensions schema to every role', async () => {
    const [row] = await db.as(user).query(
      `select extensions.crypt('pw', extensions.crypt('pw', extensions.gen_salt('bf', 4))) like '$2a$04$%' as bcrypt,
                length(extensions.gen_random_bytes(16)) as bytes,
                extensions.uuid_generate_v4() is not null as uuid`,
    )
    expect(row).toEqual({ bcrypt: true, bytes: 16, uuid: true })
    expect(
      await db.query(
        `select extname, extnamespace::regnamespace::text as schema from pg_extension
         where extname in ('pgcrypto', 'uuid-ossp') order by extname`,
      ),
    ).toEqual([
      { extname: 'pgcrypto', schema: 'extensions' },
      { extname: 'uuid-ossp', schema: 'extensions' },
    ])
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
      'permission denied to set parameter "session_replication_role"',
    ],
    [
      'copy from program',
      `copy (select 1) to program 'true'`,
      'permission denied to COPY to or from an external program',
    ],
    [
      'create an untrusted extension',
      'create extension file_fdw',
      'permission denied to create extension "file_fdw"',
    ],
    [
      'create event trigger',
      `create function public.f_evt() returns event_trigger language plpgsql as 'begin end'; create event trigger e on ddl_command_end execute function public.f_evt()`,
      'permission denied to create event trigger "e"',
    ],
    ['grant itself superuser', 'alter role postgres superuser', 'permission denied to alter role'],
    [
      'take over auth.users',
      'alter table auth.users owner to postgres',
      'must be owner of table users',
    ],
    [
      'switch off RLS on auth.users',
      'alter table auth.users disable row level security',
      'must be owner of table users',
    ],
    [
      'become supabase_auth_admin',
      'set role supabase_auth_admin',
      'permission denied to set role "supabase_auth_admin"',
    ],
  ])('cannot %s (a migration doing it fails here as on Supabase)', async (_name, sql, message) => {
    await expect(db.query(sql)).rejects.toMatchObject(denied(message))
  })

  it('cannot change the server configuration', async () => {
    // ALTER SYSTEM refuses to run in a transaction block: run it on its own connection.
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    try {
      await expect(client.query(`alter system set work_mem = '64MB'`)).rejects.toMatchObject(
        denied('permission denied to set parameter "work_mem"'),
      )
    } finally {
      await client.end()
    }
  })

  it('may put a trigger on auth.users and reference it, as Supabase migrations do', async () => {
    await db.tx(async (q) => {
      await q(
        `create table public.profiles (id uuid primary key references auth.users (id) on delete cascade)`,
      )
      await q(`create function public.on_user() returns trigger language plpgsql
               as 'begin insert into public.profiles values (new.id); return new; end'`)
      await q(
        `create trigger on_user after insert on auth.users for each row execute function public.on_user()`,
      )
    })
    const id = '3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98'
    await db.query(`insert into auth.users (id, email) values ($1, 'linus@example.com')`, [id])
    expect(await db.query('select id from public.profiles')).toEqual([{ id }])
    await db.query('delete from auth.users where id = $1', [id])
    expect(await db.query('select id from public.profiles')).toEqual([])
  })
})

describe('storage', () => {
  beforeAll(async () => {
    await db.query(`insert into storage.buckets (id, name) values ('b', 'b'), ('c', 'c')`)
    await db.query(
      `insert into storage.objects (bucket_id, name, metadata) values
         ('b', 'a/b/c.txt', '{"size": 3}'), ('b', 'a/d.txt', '{"size": 4}')`,
    )
  })

  it('belongs to supabase_storage_admin with RLS on buckets and objects', async () => {
    expect(
      await db.query(
        `select relname, pg_get_userbyid(relowner) as owner, relrowsecurity as rls from pg_class
         where relnamespace = 'storage'::regnamespace and relkind = 'r' order by relname`,
      ),
    ).toEqual([
      { relname: 'buckets', owner: 'supabase_storage_admin', rls: true },
      { relname: 'migrations', owner: 'supabase_storage_admin', rls: true },
      { relname: 'objects', owner: 'supabase_storage_admin', rls: true },
    ])
  })

  it('generates path tokens and defaults like Supabase Storage', async () => {
    expect(
      await db.query(
        `select o.path_tokens, b.public, b.type::text, b.versioning_status
         from storage.objects o join storage.buckets b on b.id = o.bucket_id
         where o.name = 'a/b/c.txt'`,
      ),
    ).toEqual([
      {
        path_tokens: ['a', 'b', 'c.txt'],
        public: false,
        type: 'STANDARD',
        versioning_status: 'DISABLED',
      },
    ])
  })

  it('refuses bucket names longer than 100 characters', async () => {
    await expect(
      db.query(`insert into storage.buckets (id, name) values ('long', repeat('x', 101))`),
    ).rejects.toMatchObject({
      code: 'P0001',
      message: `bucket name "${'x'.repeat(101)}" is too long (101 characters). Max is 100.`,
    })
  })

  it('refuses a direct delete from storage.objects, as Supabase does', async () => {
    const expected = denied(
      'Direct deletion from storage tables is not allowed. Use the Storage API instead.',
    )
    await expect(db.query('delete from storage.objects')).rejects.toMatchObject(expected)
    await expect(db.as('service_role').query('delete from storage.objects')).rejects.toMatchObject(
      expected,
    )
    await expect(db.query(`delete from storage.buckets where id = 'c'`)).rejects.toMatchObject(
      expected,
    )
    expect(await db.query('select count(*)::int as n from storage.objects')).toEqual([{ n: 2 }])
  })

  it('lists folders and files and sums sizes like Storage', async () => {
    expect(
      await db.query(`select name, id is null as folder from storage.search('a/', 'b', 100, 2)`),
    ).toEqual([
      { name: 'b', folder: true },
      { name: 'd.txt', folder: false },
    ])
    expect(await db.query('select size::int, bucket_id from storage.get_size_by_bucket()')).toEqual(
      [{ size: 7, bucket_id: 'b' }],
    )
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

  it('keeps the migrations table from the API roles', async () => {
    for (const actor of ['anon', user, 'service_role'] as const) {
      await expect(db.as(actor).query('select * from storage.migrations')).rejects.toMatchObject(
        denied('permission denied for table migrations'),
      )
    }
  })

  it('allows the delete when the Storage API setting is on', async () => {
    const rows = await db.tx(async (q) => {
      await q(`set local storage.allow_delete_query = 'true'`)
      const objects = await q('delete from storage.objects returning name')
      const buckets = await q(`delete from storage.buckets where id = 'c' returning id`)
      return [...objects, ...buckets]
    })
    expect(rows).toEqual([{ name: 'a/b/c.txt' }, { name: 'a/d.txt' }, { id: 'c' }])
  })
})

describe('vault', () => {
  it('stores secrets encrypted and decrypts them for postgres', async () => {
    const [{ id }] = (await db.query(
      `select vault.create_secret('s3cr3t', 'api_key', 'demo') as id`,
    )) as [{ id: string }]
    const [stored] = await db.query('select secret from vault.secrets where id = $1', [id])
    expect(stored?.secret).not.toContain('s3cr3t')
    expect(
      await db.query('select decrypted_secret from vault.decrypted_secrets where id = $1', [id]),
    ).toEqual([{ decrypted_secret: 's3cr3t' }])
    await db.query(`select vault.update_secret($1, 'n3w', new_description => 'rotated')`, [id])
    expect(
      await db.query(
        'select name, description, decrypted_secret from vault.decrypted_secrets where id = $1',
        [id],
      ),
    ).toEqual([{ name: 'api_key', description: 'rotated', decrypted_secret: 'n3w' }])
    await expect(db.query(`select vault.create_secret('x', 'api_key')`)).rejects.toMatchObject({
      code: '23505',
      message: 'duplicate key value violates unique constraint "secrets_name_idx"',
    })
    expect(await db.query('delete from vault.secrets where id = $1 returning name', [id])).toEqual([
      { name: 'api_key' },
    ])
  })

  it('never shows postgres the key', async () => {
    await expect(db.query('select key from vault.keys')).rejects.toMatchObject(
      denied('permission denied for table keys'),
    )
    await expect(db.query('select vault._key()')).rejects.toMatchObject(
      denied('permission denied for function _key'),
    )
  })

  it('is closed to the API roles', async () => {
    for (const actor of ['anon', 'service_role', user] as const) {
      await expect(
        db.as(actor).query('select * from vault.decrypted_secrets'),
      ).rejects.toMatchObject(denied('permission denied for schema vault'))
      await expect(db.as(actor).query(`select vault.create_secret('x')`)).rejects.toMatchObject(
        denied('permission denied for schema vault'),
      )
    }
  })
})

describe('installation', () => {
  it('can run again on an installed database without changing it', async () => {
    const [{ id }] = (await db.query(`select vault.create_secret('kept') as id`)) as [
      { id: string },
    ]
    const files = await readSqlFolder(path.join(import.meta.dirname, 'database'))
    expect(files.map((f) => path.basename(f.path))).toEqual([
      '000-extensions.sql',
      '010-auth.sql',
      '020-storage.sql',
      '030-vault.sql',
    ])
    for (const file of files) await db.superuser.tx((q) => q(file.sql))
    expect(
      await db.superuser.query(
        `select (select count(*)::int from vault.keys) as keys,
                (select decrypted_secret from vault.decrypted_secrets where id = $1) as secret`,
        [id],
      ),
    ).toEqual([{ keys: 1, secret: 'kept' }])
  })

  it("can run the cluster roles again, keeping Supabase's attributes", async () => {
    const [file] = await readSqlFolder(path.join(import.meta.dirname, 'cluster'))
    const rollback = new Error('rollback')
    const seen: unknown[] = []
    // Roles are cluster-wide and shared by parallel test files: run it, look, and roll back.
    await expect(
      db.superuser.tx(async (q) => {
        await q(file?.sql ?? 'missing')
        seen.push(
          ...(await q(
            `select rolname, rolsuper, rolinherit, rolcanlogin, rolbypassrls, rolcreaterole
             from pg_roles where rolname in ('anon', 'service_role', 'authenticator', 'postgres')
             order by rolname`,
          )),
        )
        throw rollback
      }),
    ).rejects.toBe(rollback)
    expect(seen).toEqual([
      {
        rolname: 'anon',
        rolsuper: false,
        rolinherit: true,
        rolcanlogin: false,
        rolbypassrls: false,
        rolcreaterole: false,
      },
      {
        rolname: 'authenticator',
        rolsuper: false,
        rolinherit: false,
        rolcanlogin: true,
        rolbypassrls: false,
        rolcreaterole: false,
      },
      {
        rolname: 'postgres',
        rolsuper: false,
        rolinherit: true,
        rolcanlogin: true,
        rolbypassrls: true,
        rolcreaterole: true,
      },
      {
        rolname: 'service_role',
        rolsuper: false,
        rolinherit: true,
        rolcanlogin: false,
        rolbypassrls: true,
        rolcreaterole: false,
      },
    ])
  })
})
