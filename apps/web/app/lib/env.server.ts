import { existsSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'

/**
 * The app's whole configuration. The same names work against the embedded stack, `supabase
 * start` and a hosted project; `.env.example` at the repository root lists them.
 */
const envSchema = z.object({
  SUPABASE_URL: z.url(),
  SUPABASE_ANON_KEY: z.string().min(20),
  // Server-only: provisioning and other trusted jobs (app/lib/service.server.ts).
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(20),
  /** Public base URL of this app, used in links inside emails. */
  APP_URL: z.url().transform((url) => url.replace(/\/+$/, '')),
  /** e.g. smtp://127.0.0.1:54325 (the local mail catcher) or smtps://user:pass@smtp.example.com */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://'),
  MAIL_FROM: z.string().min(3),
})
export type Env = z.infer<typeof envSchema>

/** Loads the repository's `.env` in development; variables already set win. */
export function loadDotEnv(from = process.cwd()): string | undefined {
  let dir = path.resolve(from)
  for (;;) {
    const candidate = path.join(dir, '.env')
    if (existsSync(candidate)) {
      process.loadEnvFile(candidate)
      return candidate
    }
    // Stop at the repository root: a deployed app has no repository around it.
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return undefined
    const parent = path.dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

/** Parses the environment, or throws naming every missing or invalid variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = envSchema.safeParse(source)
  if (parsed.success) return parsed.data
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path.join('.')
    return source[name] === undefined || source[name] === ''
      ? `${name} is missing`
      : `${name} is invalid (${issue.message})`
  })
  throw new Error(
    `The app cannot start: ${problems.join('; ')}. Copy .env.example to .env or set them in the environment.`,
  )
}

let cached: Env | undefined

/** The validated environment, parsed once per process (at start: root.tsx imports it). */
export function env(): Env {
  if (!cached) {
    loadDotEnv()
    cached = parseEnv(process.env)
  }
  return cached
}
