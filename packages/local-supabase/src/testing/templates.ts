import type { Cluster } from '#src/db/cluster.ts'
import {
  applyMigrations,
  GENERATED_MARKER,
  generateMigrations,
  readMigrationFiles,
} from '#src/db/migrations.ts'
import { createDatabase, installDatabasePlatform } from '#src/db/platform.ts'

/**
 * Template databases cloned per test file:
 * - `platform`: a fresh Supabase database, no project migrations (for tests of the platform layer);
 * - `supabase`: platform + the project's migrations, generated in memory from the SQL packages
 *   (so tests see SQL edits without `pnpm db:generate`) plus any app migrations;
 * - `payload`: plain PostgreSQL with the Payload adapter's migrations (no auth schema at all).
 */
export const templateKinds = ['platform', 'supabase', 'payload'] as const
export type TemplateKind = (typeof templateKinds)[number]

export const templateName = (kind: TemplateKind) => `template_${kind}`

export async function buildTemplate(cluster: Cluster, kind: TemplateKind): Promise<void> {
  const name = templateName(kind)
  await createDatabase(cluster, name)
  if (kind === 'payload') {
    await applyMigrations(cluster, name, await generateMigrations('payload'))
    return
  }
  await installDatabasePlatform(cluster, name)
  if (kind === 'platform') return
  const appMigrations = (await readMigrationFiles()).filter(
    (m) => !m.name.includes(GENERATED_MARKER),
  )
  const migrations = [...(await generateMigrations('supabase')), ...appMigrations].sort((a, b) =>
    a.name.localeCompare(b.name),
  )
  await applyMigrations(cluster, name, migrations)
}
