// Sums the JSON reports of every vitest and Playwright run into one line: "N passed, N failed".
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

const dir = process.argv[2]
let passed = 0
let failed = 0
for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
  const report = JSON.parse(readFileSync(path.join(dir, name), 'utf8'))
  if (typeof report.numPassedTests === 'number') {
    // vitest
    passed += report.numPassedTests
    failed += report.numFailedTests
    if (report.numTotalTestSuites > 0 && report.success === false && report.numFailedTests === 0) {
      failed += report.numFailedTestSuites || 1
    }
  } else if (report.stats) {
    // Playwright
    passed += report.stats.expected + report.stats.flaky
    failed += report.stats.unexpected
  }
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(passed > 0 && failed === 0 ? 0 : 1)
