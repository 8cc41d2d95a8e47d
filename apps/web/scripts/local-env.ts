import { setTimeout as sleep } from 'node:timers/promises'
import { readState } from '@tenantbase/local-supabase/stack/state'
import { loadDotEnv } from '../app/lib/env.server.ts'

export const DEFAULT_MAIL_FROM = 'Tenantbase <no-reply@tenantbase.local>'

/**
 * Fills the app's environment for local commands (dev, start, provision): the repository's
 * `.env` first; when it names no SUPABASE_URL, the URLs and keys of the running local stack
 * (waiting for it to come up when `wait` is set, as under `pnpm dev`).
 */
export async function useLocalStackEnv(options: { appUrl: string; wait: boolean }): Promise<{
  source: 'environment' | 'local stack'
  mailUrl?: string
}> {
  loadDotEnv()
  process.env.APP_URL ??= options.appUrl
  process.env.MAIL_FROM ??= DEFAULT_MAIL_FROM
  if (process.env.SUPABASE_URL) return { source: 'environment' }
  const status = await waitForLocalStack(options.wait)
  process.env.SUPABASE_URL = status.api_url
  process.env.SUPABASE_ANON_KEY = status.anon_key
  process.env.SUPABASE_SERVICE_ROLE_KEY = status.service_role_key
  process.env.SMTP_URL ??= `smtp://127.0.0.1:${status.smtp_port}`
  return { source: 'local stack', mailUrl: status.mail_url }
}

async function waitForLocalStack(wait: boolean) {
  const deadline = Date.now() + 180_000
  let told = false
  for (;;) {
    const state = readState()
    const alive = state ? isAlive(state.pid) : false
    if (alive && state?.status?.api_url && state.status.anon_key && state.status.service_role_key) {
      return state.status as typeof state.status & {
        api_url: string
        anon_key: string
        service_role_key: string
      }
    }
    if (alive && state?.error) throw new Error(`The local stack failed to start: ${state.error}`)
    if (!wait) {
      throw new Error(
        'No SUPABASE_URL is set and no local stack is running. Start one with `pnpm stack:start` (or `pnpm dev`), or set SUPABASE_URL and the keys (see .env.example).',
      )
    }
    if (Date.now() > deadline) throw new Error('The local stack did not come up within 3 minutes.')
    if (!told) {
      console.log('[web] Waiting for the local stack…')
      told = true
    }
    await sleep(250)
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
