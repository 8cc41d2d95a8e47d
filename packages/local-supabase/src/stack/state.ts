import { readFileSync } from 'node:fs'
import { rename, rm, writeFile } from 'node:fs/promises'
import { stackPaths } from '#src/stack/paths.ts'

/** What `pnpm stack:status --json` prints: the names `supabase status -o json` uses. */
export type StackStatus = {
  db_url: string
  api_url?: string
  rest_url?: string
  auth_url?: string
  storage_url?: string
  mail_url?: string
  smtp_port?: number
  anon_key?: string
  service_role_key?: string
  publishable_key?: string
  secret_key?: string
  jwt_secret?: string
}

/**
 * The state file of the stack process (`.tenantbase/stack.json`): written when it is ready,
 * updated when PostgreSQL restarts, kept with `error` when the stack stopped on its own.
 */
export type StackState = {
  /** The stack process: gateway, mail catcher and the supervisor of PostgreSQL. */
  pid: number
  started_at: string
  home?: string
  /** The embedded server's postmaster and the watchdog that stops it if pid dies. */
  db_pid?: number
  db_watchdog_pid?: number
  db_host?: string
  db_port?: number
  database?: 'embedded' | 'external'
  ports?: { api: number; db: number; mail: number; smtp: number }
  status?: StackStatus
  /** Why the stack did not start, or why it stopped by itself. */
  error?: string
  stopped_at?: string
}

// Read by hand rather than with Zod: this is `stack:status`'s path, which must stay fast.
export function readState(file = stackPaths().stateFile): StackState | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
  if (!parsed || typeof parsed !== 'object') return undefined
  const state = parsed as StackState
  return typeof state.pid === 'number' && typeof state.started_at === 'string' ? state : undefined
}

export async function writeState(state: StackState, file = stackPaths().stateFile): Promise<void> {
  // Written whole, then renamed: a concurrent stack:status never reads half a file.
  const temp = `${file}.${process.pid}.tmp`
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`)
  await rename(temp, file)
}

export async function clearState(pid: number, file = stackPaths().stateFile): Promise<void> {
  if (readState(file)?.pid === pid) await rm(file, { force: true })
}
