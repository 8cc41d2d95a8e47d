// `pnpm dev` for the app: Vite with hot reload, against the local stack that Turborepo starts
// next to it (or the project SUPABASE_URL names: `supabase start` or a hosted project).
import { fileURLToPath } from 'node:url'
import { createServer } from 'vite'
import { parseEnv } from '../app/lib/env.server.ts'
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './demo-accounts.ts'
import { useLocalStackEnv } from './local-env.ts'

const port = Number(process.env.PORT ?? 5173)
const began = Date.now()
const { source, mailUrl } = await useLocalStackEnv({
  appUrl: `http://127.0.0.1:${port}`,
  wait: true,
})
// Fails here, naming the missing variables, instead of on the first request.
const env = envOrExit()

const server = await createServer({
  configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
  server: { port, strictPort: true },
})
await server.listen()
const appUrl = `http://127.0.0.1:${port}`
const lines = [
  '',
  `  Tenantbase is running (ready in ${((Date.now() - began) / 1000).toFixed(1)} s)`,
  '',
  `  App           ${appUrl}`,
  `  Supabase API  ${env.SUPABASE_URL}  (${source})`,
  ...(mailUrl ? [`  Mail catcher  ${mailUrl}  (invitation and password emails)`] : []),
  '',
  `  Demo logins (password ${DEMO_PASSWORD}):`,
  ...DEMO_ACCOUNTS.map((a) => `    ${a.email.padEnd(24)} ${a.what}`),
  '',
]
console.log(lines.join('\n'))

/** The validated environment, or a one-line message naming what is missing, and exit 1. */
function envOrExit() {
  try {
    return parseEnv(process.env)
  } catch (error) {
    console.error((error as Error).message)
    process.exit(1)
  }
}
