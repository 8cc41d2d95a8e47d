import { execFile } from 'node:child_process'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '#src/db/cluster.ts'
import type { StackState } from '#src/stack/state.ts'
import { readState } from '#src/stack/state.ts'

const cliPath = path.join(import.meta.dirname, '..', 'cli.ts')

export type CliRun = { code: number; stdout: string; stderr: string; ms: number }

/**
 * The stack CLI as a developer runs it, against a throwaway home on free ports: tests never
 * touch the checkout's `.tenantbase/` or the fixed ports 54321-54325.
 */
export type StackCli = {
  home: string
  env: Record<string, string>
  ports: { api: number; db: number; mail: number; smtp: number }
  run(args: string[], extraEnv?: Record<string, string | undefined>): Promise<CliRun>
  state(): StackState | undefined
  /** Stops whatever this home still runs and removes it. */
  dispose(): Promise<void>
}

export async function createStackCli(): Promise<StackCli> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'tenantbase-stack-'))
  // The server may run as the OS user postgres (when tests run as root): let it reach its data.
  await chmod(home, 0o755)
  const ports = {
    api: await freePort(),
    db: await freePort(),
    mail: await freePort(),
    smtp: await freePort(),
  }
  const env = {
    TENANTBASE_STACK_HOME: home,
    TENANTBASE_API_PORT: String(ports.api),
    TENANTBASE_DB_PORT: String(ports.db),
    TENANTBASE_MAIL_PORT: String(ports.mail),
    TENANTBASE_SMTP_PORT: String(ports.smtp),
  }
  const run: StackCli['run'] = (args, extraEnv = {}) => runCli(args, { ...env, ...extraEnv })
  return {
    home,
    env,
    ports,
    run,
    state: () => readState(path.join(home, 'stack.json')),
    dispose: async () => {
      await run(['stop']).catch(() => undefined)
      await rm(home, { recursive: true, force: true })
    },
  }
}

/** Runs `node src/cli.ts <args>` with the environment given on top of this process's. */
export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs = 120_000,
): Promise<CliRun> {
  const began = performance.now()
  const merged: NodeJS.ProcessEnv = { ...process.env }
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete merged[key]
    else merged[key] = value
  }
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { env: merged, timeout: timeoutMs, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, stdout, stderr, ms: performance.now() - began })
      },
    )
  })
}
