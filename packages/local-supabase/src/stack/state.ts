import { readFile, rm, writeFile } from 'node:fs/promises'
import { z } from 'zod'
import { stackPaths } from '#src/stack/paths.ts'

/** What `pnpm stack:status --json` prints: the names `supabase status -o json` uses. */
export const stackStatusSchema = z.object({
  db_url: z.string(),
  api_url: z.string().optional(),
  rest_url: z.string().optional(),
  auth_url: z.string().optional(),
  storage_url: z.string().optional(),
  mail_url: z.string().optional(),
  smtp_port: z.number().optional(),
  anon_key: z.string().optional(),
  service_role_key: z.string().optional(),
  publishable_key: z.string().optional(),
  secret_key: z.string().optional(),
  jwt_secret: z.string().optional(),
})
export type StackStatus = z.infer<typeof stackStatusSchema>

const stateSchema = z.object({
  pid: z.number(),
  started_at: z.string(),
  status: stackStatusSchema.optional(),
  error: z.string().optional(),
})
export type StackState = z.infer<typeof stateSchema>

export async function readState(): Promise<StackState | undefined> {
  const text = await readFile(stackPaths().stateFile, 'utf8').catch(() => undefined)
  if (!text) return undefined
  const parsed = stateSchema.safeParse(JSON.parse(text))
  return parsed.success ? parsed.data : undefined
}

export async function writeState(state: StackState): Promise<void> {
  await writeFile(stackPaths().stateFile, `${JSON.stringify(state, null, 2)}\n`)
}

export async function clearState(pid: number): Promise<void> {
  const state = await readState()
  if (state?.pid === pid) await rm(stackPaths().stateFile, { force: true })
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** The running stack's status, or undefined when no stack is running. */
export async function runningStack(): Promise<StackState | undefined> {
  const state = await readState()
  if (!state) return undefined
  if (!isAlive(state.pid)) {
    // Left behind by a stack that was killed: forget it.
    await rm(stackPaths().stateFile, { force: true })
    return undefined
  }
  return state
}
