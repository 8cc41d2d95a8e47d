import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { freePort, startCluster, withClient } from '@tenantbase/local-supabase/cluster'
import { installClusterRoles } from '@tenantbase/local-supabase/platform'
import { buildTemplate, templateName } from '@tenantbase/local-supabase/templates'
import { readCatalog } from '#src/generate/read-catalog.ts'
import { renderFunctions } from '#src/generate/render.ts'

export const generatedFile = path.join(import.meta.dirname, '..', 'functions.generated.ts')

/** Migrates a throwaway database and writes the schemas of its public functions. */
async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tenantbase-schemas-'))
  await chmod(dir, 0o755)
  const cluster = await startCluster({
    dataDir: path.join(dir, 'data'),
    port: await freePort(),
    persistent: false,
    fast: true,
  })
  try {
    await installClusterRoles(cluster)
    await buildTemplate(cluster, 'supabase')
    const functions = await withClient(
      cluster.url('postgres', templateName('supabase')),
      readCatalog,
    )
    await writeFile(generatedFile, renderFunctions(functions))
    console.log(
      `Wrote schemas for ${functions.length} public functions to packages/schemas/src/functions.generated.ts`,
    )
  } finally {
    await cluster.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
