import { type Cluster, withClient } from '#src/db/cluster.ts'
import { applyMigrations, applySeed, readMigrationFiles } from '#src/db/migrations.ts'
import {
  grantDatabasePrivileges,
  installClusterRoles,
  installDatabasePlatform,
} from '#src/db/platform.ts'

const DATABASE = 'postgres'

/**
 * Brings the `postgres` database to the state `supabase start` leaves it in: platform layer,
 * every migration of supabase/migrations not applied yet (recorded in
 * supabase_migrations.schema_migrations, as the CLI does), and the seed on a fresh database.
 */
export async function prepareDatabase(cluster: Cluster): Promise<{ applied: string[] }> {
  await installClusterRoles(cluster)
  const fresh = await withClient(cluster.url('supabase_admin', DATABASE), async (client) => {
    const { rows } = await client.query(`select 1 from pg_namespace where nspname = 'auth'`)
    return rows.length === 0
  })
  if (fresh) {
    await grantDatabasePrivileges(cluster, DATABASE)
    await installDatabasePlatform(cluster, DATABASE)
    await withClient(cluster.url('supabase_admin', DATABASE), (client) =>
      client.query(`create schema if not exists supabase_migrations authorization postgres;
        create table if not exists supabase_migrations.schema_migrations (
          version text primary key, statements text[], name text);
        alter table supabase_migrations.schema_migrations owner to postgres`),
    )
  }
  const done = await withClient(cluster.url('postgres', DATABASE), async (client) => {
    const { rows } = await client.query<{ version: string }>(
      'select version from supabase_migrations.schema_migrations',
    )
    return new Set(rows.map((row) => row.version))
  })
  const pending = (await readMigrationFiles()).filter((m) => !done.has(versionOf(m.name)))
  for (const migration of pending) {
    await applyMigrations(cluster, DATABASE, [migration])
    await withClient(cluster.url('postgres', DATABASE), (client) =>
      client.query(
        'insert into supabase_migrations.schema_migrations (version, name) values ($1, $2)',
        [versionOf(migration.name), migration.name.replace(/^\d+_/, '').replace(/\.sql$/, '')],
      ),
    )
  }
  if (fresh) await applySeed(cluster, DATABASE)
  return { applied: pending.map((m) => m.name) }
}

const versionOf = (name: string) => name.split('_')[0] ?? name
