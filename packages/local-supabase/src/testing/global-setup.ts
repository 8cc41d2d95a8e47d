import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { freePort, startCluster } from '#src/db/cluster.ts'
import { installClusterRoles } from '#src/db/platform.ts'
import { buildTemplate, templateKinds } from '#src/testing/templates.ts'
import type { TestClusterInfo } from '#src/testing/test-database.ts'

/** Vitest global setup: one throwaway cluster per test run, with template databases. */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tenantbase-test-'))
  // The server may run as the OS user postgres (when tests run as root): let it reach its data dir.
  await chmod(dir, 0o755)
  const cluster = await startCluster({
    dataDir: path.join(dir, 'data'),
    port: await freePort(),
    persistent: false,
    fast: true,
  })
  const templateErrors: TestClusterInfo['templateErrors'] = {}
  try {
    await installClusterRoles(cluster)
    for (const kind of templateKinds) {
      await buildTemplate(cluster, kind).catch((error: Error) => {
        templateErrors[kind] = error.message
      })
    }
  } catch (error) {
    await cluster.stop()
    throw error
  }
  project.provide('tenantbaseCluster', { host: cluster.host, port: cluster.port, templateErrors })
  return async () => {
    await cluster.stop()
    await rm(dir, { recursive: true, force: true })
  }
}
