// `pnpm --filter @tenantbase/web start`: serves the production build (remix-serve) with the
// same environment resolution as `pnpm dev` (.env, else the running local stack).
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { parseEnv } from '../app/lib/env.server.ts'
import { useLocalStackEnv } from './local-env.ts'

const port = Number(process.env.PORT ?? 3000)
process.env.PORT = String(port)
process.env.HOST ??= '127.0.0.1'
await useLocalStackEnv({ appUrl: `http://127.0.0.1:${port}`, wait: false })
envOrExit()
const require = createRequire(import.meta.url)
const cli = path.join(path.dirname(require.resolve('@remix-run/serve/package.json')), 'dist/cli.js')
const child = spawn(process.execPath, [cli, 'build/server/index.js'], {
  stdio: 'inherit',
  cwd: path.join(import.meta.dirname, '..'),
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => process.exit(code ?? 0))

/** The validated environment, or a one-line message naming what is missing, and exit 1. */
function envOrExit() {
  try {
    return parseEnv(process.env)
  } catch (error) {
    console.error((error as Error).message)
    process.exit(1)
  }
}
