import path from 'node:path'
import { defineConfig, type ViteUserConfig } from 'vitest/config'

const globalSetup = path.join(import.meta.dirname, 'global-setup.ts')

/**
 * The vitest configuration every package shares: one throwaway PostgreSQL cluster per run
 * (global setup), generous timeouts for database work, and a JSON report per package when
 * TENANTBASE_TEST_REPORT_DIR is set (CI sums them into one "N passed, N failed" line).
 */
export function defineTestConfig(name: string, overrides: ViteUserConfig['test'] = {}) {
  const reportDir = process.env.TENANTBASE_TEST_REPORT_DIR
  return defineConfig({
    test: {
      globalSetup: [globalSetup],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      reporters: reportDir
        ? ['default', ['json', { outputFile: path.join(reportDir, `vitest-${name}.json`) }]]
        : ['default'],
      ...overrides,
    },
  })
}
