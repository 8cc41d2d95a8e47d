import path from 'node:path'
import pg from 'pg'
import { type Cluster, SUPERUSER, withClient } from '#src/db/cluster.ts'
import { readSqlFolder } from '#src/db/sql-files.ts'
import { LocalStackError } from '#src/errors.ts'

const platformDir = path.join(import.meta.dirname, 'platform')

/**
 * Creates the cluster-wide Supabase roles (anon, authenticated, service_role, authenticator,
 * supabase_auth_admin, supabase_storage_admin, a non-superuser postgres). Runs once per cluster.
 */
export async function installClusterRoles(cluster: Cluster): Promise<void> {
  await withClient(cluster.url(SUPERUSER, 'postgres'), async (client) => {
    const { rows } = await client.query(
      `select 1 from pg_catalog.pg_roles where rolname = 'authenticator'`,
    )
    if (rows.length > 0) return
    for (const file of await readSqlFolder(path.join(platformDir, 'cluster'))) {
      await runFile(client, file.path, file.sql)
    }
  })
}

/**
 * Installs the per-database platform layer (extensions, auth, storage, vault, default grants)
 * into a database, as the superuser, the way a Supabase database comes before any migration.
 */
export async function installDatabasePlatform(cluster: Cluster, database: string): Promise<void> {
  await withClient(cluster.url(SUPERUSER, database), async (client) => {
    for (const file of await readSqlFolder(path.join(platformDir, 'database'))) {
      await runFile(client, file.path, file.sql)
    }
  })
}

/**
 * Database-level ownership and grants. They live in the shared catalog, so a database cloned
 * from a template does not inherit them: every new database gets them here.
 */
export async function grantDatabasePrivileges(cluster: Cluster, database: string): Promise<void> {
  const name = pg.escapeIdentifier(database)
  await withClient(cluster.url(SUPERUSER, 'postgres'), async (client) => {
    await client.query(`alter database ${name} owner to postgres`)
    await client.query(
      `grant create, connect, temporary on database ${name} to postgres, supabase_auth_admin, supabase_storage_admin`,
    )
  })
}

export async function createDatabase(
  cluster: Cluster,
  database: string,
  template?: string,
): Promise<void> {
  const name = pg.escapeIdentifier(database)
  const from = template ? ` template ${pg.escapeIdentifier(template)} strategy file_copy` : ''
  await withClient(cluster.url(SUPERUSER, 'postgres'), async (client) => {
    await client.query(`create database ${name}${from}`)
  })
  await grantDatabasePrivileges(cluster, database)
}

export async function dropDatabase(cluster: Cluster, database: string): Promise<void> {
  await withClient(cluster.url(SUPERUSER, 'postgres'), async (client) => {
    await client.query(`drop database if exists ${pg.escapeIdentifier(database)} with (force)`)
  })
}

/** Runs one SQL file in one transaction and names the file and line when it fails. */
export async function runFile(client: pg.Client, file: string, sql: string): Promise<void> {
  try {
    await client.query(`begin;\n${sql}\n;commit;`)
  } catch (error) {
    await client.query('rollback').catch(() => undefined)
    throw sqlFileError(file, sql, error)
  }
}

function sqlFileError(file: string, sql: string, error: unknown): LocalStackError {
  const dbError = error as { message?: string; position?: string; code?: string }
  let where = ''
  if (dbError.position) {
    // Position counts characters of the submitted text, which starts with "begin;\n".
    const offset = Number(dbError.position) - 'begin;\n'.length
    const line = sql.slice(0, Math.max(offset, 0)).split('\n').length
    where = `:${line}`
  }
  const failure = new LocalStackError(
    'sql_failed',
    `${file}${where}: ${dbError.message ?? String(error)}${dbError.code ? ` (SQLSTATE ${dbError.code})` : ''}`,
  )
  Object.assign(failure, { sqlstate: dbError.code })
  return failure
}
