import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { repoRoot } from '@tenantbase/local-supabase/repo-root'

const webDir = () => path.join(repoRoot(), 'apps', 'web')

function run(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    child.stderr.on('data', (chunk) => {
      output += chunk
    })
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed:\n${output}`)),
    )
  })
}

/**
 * Builds the app for production, as `pnpm --filter @tenantbase/web build` does. `env` is the
 * build's environment: the specs put the secrets there, so a client bundle that inlined any
 * of them would be caught by the build scan.
 */
export async function buildApp(env: Record<string, string> = {}): Promise<void> {
  const require = createRequire(path.join(webDir(), 'package.json'))
  const remix = path.join(
    path.dirname(require.resolve('@remix-run/dev/package.json')),
    'dist/cli.js',
  )
  await run(process.execPath, [remix, 'vite:build'], webDir(), env)
}

/** The folder of the client build (what browsers download). */
export const clientBuildDir = () => path.join(webDir(), 'build', 'client')

export type AppServer = { url: string; stop(): Promise<void> }

/** Serves the production build with remix-serve on a free port, configured by `env`. */
export async function startApp(input: {
  port: number
  env: Record<string, string>
}): Promise<AppServer> {
  const require = createRequire(path.join(webDir(), 'package.json'))
  const serve = path.join(
    path.dirname(require.resolve('@remix-run/serve/package.json')),
    'dist/cli.js',
  )
  const url = `http://127.0.0.1:${input.port}`
  let log = ''
  const child: ChildProcess = spawn(process.execPath, [serve, 'build/server/index.js'], {
    cwd: webDir(),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      ...input.env,
      PORT: String(input.port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (chunk) => {
    log += chunk
  })
  child.stderr?.on('data', (chunk) => {
    log += chunk
    // Server-side errors belong in the test output.
    process.stderr.write(`[app] ${chunk}`)
  })
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The app exited at start:\n${log}`)
    const ok = await fetch(`${url}/sign-in`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) break
    if (Date.now() > deadline) {
      child.kill('SIGTERM')
      throw new Error(`The app did not answer within 30 s:\n${log}`)
    }
    await sleep(100)
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
