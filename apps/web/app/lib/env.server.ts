import { existsSync } from 'node:fs'
import path from 'node:path'
import { type BillingEnv, billingEnvSchema } from '@tenantbase/billing/env'
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
  /** stripe or lemon_squeezy, with that provider's keys; empty: no billing (the free plan). */
  BILLING_PROVIDER: z
    .union(
      [z.enum(['stripe', 'lemon_squeezy']), z.literal('').transform(() => undefined)],
      'must be stripe, lemon_squeezy or empty',
    )
    .optional(),
})
export type Env = z.infer<typeof envSchema> & {
  /** The billing provider's configuration, or null when BILLING_PROVIDER is empty. */
  billing: BillingEnv | null
}

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
  // The provider's own keys are checked only when a provider is chosen.
  const billing =
    parsed.success && parsed.data.BILLING_PROVIDER ? billingEnvSchema.safeParse(source) : null
  if (parsed.success && (!billing || billing.success)) {
    return { ...parsed.data, billing: billing?.success ? billing.data : null }
  }
  const issues = [...(parsed.error?.issues ?? []), ...(billing?.error?.issues ?? [])]
  const problems = issues.map((issue) => {
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
