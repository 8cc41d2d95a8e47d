import type { Cluster } from '#src/db/cluster.ts'
import { applyMigrations, packageSchema } from '#src/db/migrations.ts'
import { createDatabase, installDatabasePlatform } from '#src/db/platform.ts'

/**
 * Template databases cloned per test file:
 * - `platform`: a fresh Supabase database, no project migrations (for tests of the platform layer);
 * - `supabase`: platform + the schema straight from the SQL packages (so tests see SQL edits
 *   without `pnpm db:generate`; the upgrade test proves the migrations build the same schema);
 * - `payload`: plain PostgreSQL with the Payload adapter's migrations (no auth schema at all).
 */
export const templateKinds = ['platform', 'supabase', 'payload'] as const
export type TemplateKind = (typeof templateKinds)[number]

export const templateName = (kind: TemplateKind) => `template_${kind}`

export async function buildTemplate(cluster: Cluster, kind: TemplateKind): Promise<void> {
  const name = templateName(kind)
  await createDatabase(cluster, name)
  if (kind === 'payload') {
    await applyMigrations(cluster, name, await packageSchema('payload'))
    return
  }
  await installDatabasePlatform(cluster, name)
  if (kind === 'platform') return
  await applyMigrations(cluster, name, await packageSchema('supabase'))
}
