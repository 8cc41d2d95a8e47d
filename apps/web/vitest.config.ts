import path from 'node:path'
import { defineConfig } from 'vitest/config'

// Unit tests of app/lib run in Node without the Remix Vite plugin; CI collects a JSON report.
const reportDir = process.env.TENANTBASE_TEST_REPORT_DIR

export default defineConfig({
  test: {
    include: ['app/**/*.test.ts'],
    environment: 'node',
    reporters: reportDir
      ? ['default', ['json', { outputFile: path.join(reportDir, 'vitest-web.json') }]]
      : ['default'],
  },
})
