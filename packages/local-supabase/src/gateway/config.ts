import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'smol-toml'
import { z } from 'zod'
import { repoRoot } from '#src/repo-root.ts'

/** The parts of supabase/config.toml the local stack honours. */
export const stackConfigSchema = z.object({
  api: z
    .object({
      schemas: z.array(z.string()).default(['public']),
      max_rows: z.number().default(1000),
    })
    .default({
      schemas: ['public'],
      max_rows: 1000,
    }),
  auth: z
    .object({
      site_url: z.string().default('http://127.0.0.1:3000'),
      additional_redirect_urls: z.array(z.string()).default([]),
      jwt_expiry: z.number().default(3600),
      enable_signup: z.boolean().default(true),
      enable_refresh_token_rotation: z.boolean().default(true),
      refresh_token_reuse_interval: z.number().default(10),
      minimum_password_length: z.number().default(6),
      email: z
        .object({
          enable_signup: z.boolean().default(true),
          enable_confirmations: z.boolean().default(false),
          // Email changes need a link in the old mailbox too (GoTrue's secure email change).
          double_confirm_changes: z.boolean().default(true),
          // Password changes need a reauthentication nonce (GET /reauthenticate).
          secure_password_change: z.boolean().default(false),
          // Minimum time between two mails of one kind to one user, as a Go duration.
          max_frequency: z.string().default('1s'),
          otp_length: z.number().int().min(6).max(10).default(6),
          otp_expiry: z.number().int().positive().default(3600),
        })
        .prefault({}),
      hook: z
        .object({
          custom_access_token: z
            .object({ enabled: z.boolean().default(false), uri: z.string().default('') })
            .optional(),
        })
        .default({}),
    })
    .default({} as never),
  storage: z
    .object({ file_size_limit: z.string().default('50MiB') })
    .default({ file_size_limit: '50MiB' }),
})
export type StackConfig = z.infer<typeof stackConfigSchema>

export async function loadStackConfig(): Promise<StackConfig> {
  const text = await readFile(path.join(repoRoot(), 'supabase', 'config.toml'), 'utf8').catch(
    () => '',
  )
  return stackConfigSchema.parse(text ? parse(text) : {})
}

/** A Go duration ("1s", "1m30s", "500ms", "-2h") → milliseconds; NaN when it is not one. */
export function parseDuration(duration: string): number {
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  }
  const match = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(duration)
  if (duration === '0') return 0
  if (!match) return Number.NaN
  const sign = match[1] === '-' ? -1 : 1
  let total = 0
  for (const part of duration
    .slice(match[1]?.length ?? 0)
    .matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (units[part[2] as string] ?? 0)
  }
  return sign * total
}

/** "50MiB" → bytes. */
export function parseSize(size: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?$/i.exec(size.trim())
  if (!match) return 50 * 1024 * 1024
  const units: Record<string, number> = {
    b: 1,
    kb: 1000,
    kib: 1024,
    mb: 1e6,
    mib: 1024 ** 2,
    gb: 1e9,
    gib: 1024 ** 3,
  }
  return Math.floor(Number(match[1]) * (units[(match[2] ?? 'b').toLowerCase()] ?? 1))
}
