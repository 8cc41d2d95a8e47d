import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import { describe, expect, inject, it } from 'vitest'
import { type Cluster, connectionUrl, withClient } from '#src/db/cluster.ts'
import {
  type Migration,
  newMigrationName,
  packageSchema,
  readMigrationFiles,
} from '#src/db/migrations.ts'
import type { Catalog } from '#src/db/schema/catalog.ts'
import {
  applyScripts,
  buildDatabase,
  catalogOf,
  planPendingMigration,
} from '#src/db/schema/generate-migration.ts'
import { checkLock, checksum, readLock } from '#src/db/schema/migration-lock.ts'
import { compareCatalogs, describeDifference } from '#src/db/schema/plan-migration.ts'
import { splitStatements } from '#src/db/schema/sql-statements.ts'

/** The migrations released before `pnpm db:generate` wrote migrations of its own. */
const BASELINE_VERSION = '20260101000300'

const info = inject('tenantbaseCluster')
const cluster: Cluster = {
  host: info.host,
  port: info.port,
  url: (user, database) => connectionUrl(info.host, info.port, user, database),
  stop: async () => undefined,
}
const unique = (label: string) => `${label}_${randomBytes(4).toString('hex')}`
const differencesBetween = (deployed: Catalog, wanted: Catalog) =>
  compareCatalogs(deployed, wanted).map(describeDifference)

/** The package schema with one file's text changed (a developer's edit, in memory). */
async function editedSchema(
  edits: Record<string, (sql: string) => string>,
  added: Migration[] = [],
): Promise<Migration[]> {
  const schema = (await packageSchema('supabase')).map((script) => {
    const edit = edits[script.name]
    if (!edit) return script
    const sql = edit(script.sql)
    if (sql === script.sql) throw new Error(`the edit of ${script.name} changed nothing`)
    return { ...script, sql }
  })
  return [...schema, ...added]
}
const statementsOf = (scripts: Migration[]) =>
  scripts.flatMap((script) => splitStatements(script.sql, script.name))

describe('released migrations', () => {
  it('are all recorded in supabase/migrations.sha256 and unchanged since', async () => {
    const problems = checkLock(await readMigrationFiles(), await readLock())
    expect(problems.map((p) => p.message)).toEqual([])
  })

  it('the check names an edited, a deleted and an unrecorded migration', () => {
    const lock = new Map([
      ['20260101000100_a.sql', checksum('select 1;\n')],
      ['20260101000200_b.sql', checksum('select 2;\n')],
    ])
    const problems = checkLock(
      [
        { name: '20260101000100_a.sql', sql: 'select 1; -- edited\n' },
        { name: '20260202000000_c.sql', sql: 'select 3;\n' },
      ],
      lock,
    )
    expect(problems.map((p) => [p.name, p.problem])).toEqual([
      ['20260101000100_a.sql', 'edited'],
      ['20260101000200_b.sql', 'deleted'],
      ['20260202000000_c.sql', 'unrecorded'],
    ])
    expect(problems[0]?.message).toContain('changed after it was released')
  })

  it('get versions that sort after every existing one', () => {
    const now = new Date('2026-12-02T10:20:30Z')
    expect(newMigrationName('add_x', ['20260101000100_a.sql'], now)).toBe(
      '20261202102030_add_x.sql',
    )
    expect(newMigrationName('add_x', ['20991231235959_future.sql'], now)).toBe(
      '20991231235960_add_x.sql',
    )
    expect(() => newMigrationName('Add X', [], now)).toThrow('Invalid migration name "Add X"')
  })
})

describe('a deployed database', () => {
  it('built by the migrations in order has exactly the schema of the SQL packages (when this fails, run `pnpm db:generate`)', async () => {
    const deployed = unique('deployed')
    const fresh = unique('fresh')
    await buildDatabase(cluster, deployed, await readMigrationFiles())
    await buildDatabase(cluster, fresh, await packageSchema('supabase'))
    expect(
      differencesBetween(await catalogOf(cluster, deployed), await catalogOf(cluster, fresh)),
    ).toEqual([])
  })

  it('holding tenants, members and deals at the baseline takes every later migration and ends equal to a fresh one', async () => {
    const migrations = await readMigrationFiles()
    const baseline = migrations.filter((m) => (m.name.split('_')[0] ?? '') <= BASELINE_VERSION)
    const later = migrations.filter((m) => !baseline.includes(m))
    expect(baseline.map((m) => m.name)).toEqual([
      '20260101000100_tenantbase_core.sql',
      '20260101000200_tenantbase_rbac.sql',
      '20260101000300_tenantbase_supabase_adapter.sql',
    ])
    const deployed = unique('populated')
    const fresh = unique('fresh')
    await buildDatabase(cluster, deployed, baseline)
    await populateAtBaseline(deployed)
    await applyScripts(cluster, deployed, later)
    await buildDatabase(cluster, fresh, await packageSchema('supabase'))
    // The tenant's own rows are data, not schema: compare everything else.
    const schemaOnly = (catalog: Catalog) =>
      new Map([...catalog].filter(([, entry]) => entry.kind !== 'data'))
    expect(
      differencesBetween(
        schemaOnly(await catalogOf(cluster, deployed)),
        schemaOnly(await catalogOf(cluster, fresh)),
      ),
    ).toEqual([])
    const [deal] = await withClient(
      cluster.url('postgres', deployed),
      async (client) => (await client.query('select title, visibility from app.deals')).rows,
    )
    expect(deal).toEqual({ title: 'Q3 renewal', visibility: 'public' })
  })
})

describe('pnpm db:generate', () => {
  it('re-emits a changed function and grant, adds a new table with its policy, and the result equals the packages', async () => {
    const schema = await editedSchema(
      {
        'packages/rbac/sql/110-authz-versions.sql': (sql) =>
          sql
            .replace(
              'version = rbac.authz_versions.version + 1, updated_at',
              'version = rbac.authz_versions.version + 2, updated_at',
            )
            .replace(
              'grant all on rbac.authz_versions to service_role;',
              'grant select on rbac.authz_versions to service_role;',
            ),
      },
      [
        {
          name: 'packages/rbac/sql/950-notes.sql',
          sql: `create table app.notes (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references core.organizations (id) on delete cascade,
  body text not null
);
comment on table app.notes is 'Notes; it''s a sample.';
alter table app.notes enable row level security;
revoke all on app.notes from public, anon, authenticated;
grant select on app.notes to authenticated;
create policy notes_select on app.notes for select to authenticated
  using (organization_id = any ((select core.my_organization_ids())::uuid[]));
`,
        },
      ],
    )
    const pending = await planPendingMigration(cluster, {
      migrations: await readMigrationFiles(),
      schema,
      statements: statementsOf(schema),
      prefix: unique('edit'),
    })
    // planPendingMigration applies the plan and reports anything still different as a blocker.
    expect(pending.blockers).toEqual([])
    expect(pending.statements).toEqual([
      expect.stringMatching(/^create table app\.notes \(/),
      'alter table app.notes enable row level security',
      expect.stringMatching(
        /^CREATE OR REPLACE FUNCTION rbac\.bump_authz_version\(p_user_id uuid\)[\s\S]*version \+ 2/,
      ),
      expect.stringMatching(
        /^create policy notes_select on app\.notes as permissive for select to authenticated\n {2}using /,
      ),
      'revoke all on table rbac.authz_versions from service_role',
      'grant select on table rbac.authz_versions to service_role',
      'revoke all on table app.notes from authenticated',
      'grant select on table app.notes to authenticated',
      "comment on table app.notes is 'Notes; it''s a sample.'",
    ])
  })

  it('drops a policy and a function that an earlier release created and the packages no longer have', async () => {
    const released = {
      name: '20991231000000_archive.sql',
      sql: `create function public.archived_count(p_org_id uuid) returns integer
language sql stable set search_path = '' as $$ select 0 $$;
create policy deals_archive on app.deals for select to authenticated using (false);
`,
    }
    const schema = await packageSchema('supabase')
    const pending = await planPendingMigration(cluster, {
      migrations: [...(await readMigrationFiles()), released],
      schema,
      statements: statementsOf(schema),
      prefix: unique('drop'),
    })
    expect(pending.blockers).toEqual([])
    expect(pending.statements).toEqual([
      'drop policy if exists deals_archive on app.deals',
      'drop function if exists public.archived_count(uuid)',
    ])
  })

  it('refuses a new column on an existing table, names it and the statement to write', async () => {
    const schema = await editedSchema({
      'packages/rbac/sql/900-deals.sql': (sql) =>
        sql.replace(
          '  title text not null,\n',
          "  title text not null,\n  priority text not null default 'normal',\n",
        ),
    })
    const pending = await planPendingMigration(cluster, {
      migrations: await readMigrationFiles(),
      schema,
      statements: statementsOf(schema),
      prefix: unique('column'),
    })
    expect(pending.statements).toEqual([])
    expect(pending.blockers).toEqual([
      "column app.deals.priority: in the SQL packages, not in the migrations\n    e.g. alter table app.deals add column priority text default 'normal'::text not null;",
    ])

    // Once a hand-written migration adds the column, nothing is left to generate.
    const handWritten = {
      name: '20991231000000_add_deal_priority.sql',
      sql: "alter table app.deals add column priority text not null default 'normal';\n",
    }
    const accepted = await planPendingMigration(cluster, {
      migrations: [...(await readMigrationFiles()), handWritten],
      schema,
      statements: statementsOf(schema),
      prefix: unique('accepted'),
    })
    expect([accepted.statements, accepted.blockers]).toEqual([[], []])
  })

  it('refuses reference data that the packages no longer insert', async () => {
    const schema = await editedSchema({
      'packages/rbac/sql/010-permissions.sql': (sql) =>
        sql.replace(/\n\s*\('audit\.read',[^\n]*/, ''),
    })
    const pending = await planPendingMigration(cluster, {
      migrations: await readMigrationFiles(),
      schema,
      statements: statementsOf(schema),
      prefix: unique('data'),
    })
    expect(pending.blockers).toHaveLength(1)
    expect(pending.blockers[0]).toMatch(
      /^data rbac\.permissions: rows in the migrations that the SQL packages no longer insert or that changed; delete or update them in a migration:\n {4}\{"code": "audit\.read"/,
    )
  })
})

/** A tenant with an owner who signed up by invitation and a public deal, through the API roles. */
async function populateAtBaseline(database: string) {
  const as = async <T>(login: string, fn: (client: pg.Client) => Promise<T>) =>
    withClient(cluster.url(login, database), fn)
  const tenant = await as('authenticator', async (client) => {
    await client.query('begin')
    await client.query('set local role service_role')
    await client.query(`select set_config('request.jwt.claims', '{"role":"service_role"}', true)`)
    const { rows } = await client.query(
      `select public.provision_tenant('Upgrade Co', 'upgrade-co', 'owner@upgrade.test') as t`,
    )
    await client.query('commit')
    return rows[0].t as { organization_id: string; invitation_token: string }
  })
  const userId = await as('supabase_auth_admin', async (client) => {
    const { rows } = await client.query(
      `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
         raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated',
         'owner@upgrade.test', '', now(), '{"provider":"email"}', $1, now(), now()) returning id`,
      [JSON.stringify({ invitation_token: tenant.invitation_token })],
    )
    return rows[0].id as string
  })
  await as('authenticator', async (client) => {
    await client.query('begin')
    await client.query('set local role authenticated')
    await client.query(`select set_config('request.jwt.claims', $1, true)`, [
      JSON.stringify({ sub: userId, role: 'authenticated', email: 'owner@upgrade.test' }),
    ])
    await client.query(`select public.create_deal($1, 'Q3 renewal', 'public', 1200)`, [
      tenant.organization_id,
    ])
    await client.query('commit')
  })
}
