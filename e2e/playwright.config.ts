import { existsSync } from 'node:fs'
import path from 'node:path'
import { defineConfig } from '@playwright/test'

/** Debian's Chromium when present (CI installs it with apt); otherwise Playwright's own browser. */
const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p))
const reportDir = process.env.TENANTBASE_TEST_REPORT_DIR

export default defineConfig({
  testDir: './src',
  testMatch: '**/*.spec.ts',
  globalSetup: './src/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  // The machines are shared 2-core boxes: a page can take seconds under load.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: reportDir
    ? [['list'], ['json', { outputFile: path.join(reportDir, 'playwright-e2e.json') }]]
    : [['list']],
  use: {
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: systemChromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
})
