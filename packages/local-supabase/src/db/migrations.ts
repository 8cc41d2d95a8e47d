import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type pg from 'pg'
import { type Cluster, withClient } from '#src/db/cluster.ts'
import { runFile } from '#src/db/platform.ts'
import { type SqlStatement, splitStatements } from '#src/db/schema/sql-statements.ts'
import { readSqlFolder } from '#src/db/sql-files.ts'
import { LocalStackError } from '#src/errors.ts'
import { repoRoot } from '#src/repo-root.ts'

export type Adapter = 'supabase' | 'payload'
export type Migration = { name: string; sql: string }

/**
 * The SQL packages that make up the schema of each adapter, in order: the source of truth for
 * every object in the database. Core and RBAC are platform-neutral; the adapters add what names
 * auth/storage/vault (Supabase) or stands in for it on plain PostgreSQL (Payload).
 */
const sources: Record<Adapter, { name: string; folder: string }[]> = {
  supabase: [
    { name: 'core', folder: 'packages/core/sql' },
    { name: 'rbac', folder: 'packages/rbac/sql' },
    { name: 'supabase_adapter', folder: 'packages/adapters/supabase/sql' },
  ],
  payload: [
    { name: 'payload_before', folder: 'packages/adapters/payload/sql/before' },
    { name: 'core', folder: 'packages/core/sql' },
    { name: 'rbac', folder: 'packages/rbac/sql' },
    { name: 'payload_after', folder: 'packages/adapters/payload/sql/after' },
  ],
}

const migrationsDir = () => path.join(repoRoot(), 'supabase', 'migrations')

/**
 * The whole schema of an adapter straight from the SQL packages, one script per file: what a
 * database built from scratch looks like. Test databases are built from it; `pnpm db:generate`
 * compares it with the database the committed migrations build.
 */
export async function packageSchema(adapter: Adapter): Promise<Migration[]> {
  const root = repoRoot()
  const scripts: Migration[] = []
  for (const source of sources[adapter]) {
    for (const file of await readSqlFolder(path.join(root, source.folder))) {
      scripts.push({ name: path.relative(root, file.path), sql: file.sql })
    }
  }
  return scripts
}

/** The statements of the SQL packages, in the order they run, each with its file. */
export async function packageStatements(adapter: Adapter): Promise<SqlStatement[]> {
  const root = repoRoot()
  const statements: SqlStatement[] = []
  for (const source of sources[adapter]) {
    for (const file of await readSqlFolder(path.join(root, source.folder))) {
      statements.push(...splitStatements(file.sql, path.relative(root, file.path)))
    }
  }
  return statements
}

/** The migrations a Supabase project applies: everything in supabase/migrations, in name order. */
export async function readMigrationFiles(): Promise<Migration[]> {
  const files = await readSqlFolder(migrationsDir())
  return files.map((file) => ({ name: path.basename(file.path), sql: file.sql }))
}

/** `<version>_<name>.sql`, the Supabase CLI's file name; the version sorts after every existing one. */
export function newMigrationName(name: string, existing: string[], now = new Date()): string {
  if (!/^[a-z0-9][a-z0-9_]*$/.test(name)) {
    throw new LocalStackError(
      'invalid_migration_name',
      `Invalid migration name "${name}": use lowercase letters, digits and underscores, e.g. add_deal_priority.`,
    )
  }
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14)
  const latest =
    existing
      .map((n) => n.split('_')[0] ?? '')
      .sort()
      .at(-1) ?? ''
  const version = stamp > latest ? stamp : String(BigInt(latest) + 1n)
  return `${version}_${name}.sql`
}

/** Creates an empty migration for a change written by hand (`pnpm db:new <name>`). */
export async function createEmptyMigration(name: string): Promise<string> {
  const file = newMigrationName(
    name,
    (await readMigrationFiles()).map((m) => m.name),
  )
  await writeFile(
    path.join(migrationsDir(), file),
    [
      `-- ${name.replaceAll('_', ' ')}`,
      '--',
      '-- Written by hand: changes to state that `pnpm db:generate` does not guess (columns, constraints,',
      '-- data). Make the same change to the SQL packages, so a database built from scratch and one',
      '-- upgraded by this migration end up equal (the upgrade test compares them). Once released, this',
      '-- file is never edited again.',
      '',
      '',
    ].join('\n'),
  )
  return file
}

/** Applies migrations as `postgres`, each in its own transaction, like `supabase db reset`. */
export async function applyMigrations(
  cluster: Cluster,
  database: string,
  migrations: Migration[],
): Promise<void> {
  await withClient(cluster.url('postgres', database), async (client) => {
    for (const migration of migrations) {
      const file = migration.name.includes('/')
        ? migration.name
        : `supabase/migrations/${migration.name}`
      await runFile(client, file, migration.sql)
    }
  })
}

/** Applies supabase/seed.sql as `postgres`, when it exists. */
export async function applySeed(cluster: Cluster, database: string): Promise<void> {
  const file = path.join(repoRoot(), 'supabase', 'seed.sql')
  const sql = await readFile(file, 'utf8').catch(() => '')
  if (!sql.trim()) return
  await withClient(cluster.url('postgres', database), (client: pg.Client) =>
    runFile(client, 'supabase/seed.sql', sql),
  )
}
