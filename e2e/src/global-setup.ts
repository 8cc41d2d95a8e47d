import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '@tenantbase/local-supabase/cluster'
import { launchStack } from '@tenantbase/local-supabase/stack'

/**
 * Starts a throwaway local stack on free ports (so a developer's running stack is untouched)
 * and hands its URLs and keys to the specs through the environment.
 */
export default async function globalSetup() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tenantbase-e2e-'))
  await chmod(dir, 0o755)
  const stack = await launchStack({
    ports: {
      api: await freePort(),
      db: await freePort(),
      mail: await freePort(),
      smtp: await freePort(),
    },
    dataDir: path.join(dir, 'db'),
    storageDir: path.join(dir, 'storage'),
    persistent: false,
    fast: true,
    // Email links land on the mail catcher's page, which stands in for the app here.
    configure: (config, urls) => ({
      ...config,
      auth: { ...config.auth, site_url: `${urls.mail}/` },
    }),
  })
  process.env.TENANTBASE_E2E_STATUS = JSON.stringify(stack.status)
  return async () => {
    await stack.close()
    await rm(dir, { recursive: true, force: true })
  }
}
