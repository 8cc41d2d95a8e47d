import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import { generateKeyPair, SignJWT } from 'jose'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isAlive, waitForExit } from '#src/processes.ts'
import { repoRoot } from '#src/repo-root.ts'
import type { StackStatus } from '#src/stack/state.ts'
import { createStackCli, type StackCli } from '#src/testing/stack-cli.ts'

// The fault suite: a developer's stack (throwaway home, free ports, loopback only) under the
// faults a laptop meets — the database killed under traffic, the stack process killed, a
// restart — with bounded loops that stop by themselves.

const ACME = '0a000000-0000-4000-8000-00000000000a'
const OWNER = { email: 'owner@acme.test', password: 'password123' }

let cli: StackCli
let status: StackStatus
let accessToken: string

const client = (token?: string): SupabaseClient =>
  createClient(status.api_url as string, status.anon_key as string, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: token ? { headers: { Authorization: `Bearer ${token}` } } : {},
  })

const startStack = async () => {
  const run = await cli.run(['start'])
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  status = cli.state()?.status as StackStatus
  return run
}

beforeAll(async () => {
  cli = await createStackCli()
  await startStack()
  const { data, error } = await client().auth.signInWithPassword(OWNER)
  expect(error).toBeNull()
  accessToken = data.session?.access_token as string
}, 120_000)
afterAll(() => cli.dispose())

describe('stack:status', () => {
  it('checks every part and prints the status quickly', async () => {
    const runs = [await cli.run(['status']), await cli.run(['status']), await cli.run(['status'])]
    for (const run of runs) expect(run.code).toBe(0)
    expect(runs[0]?.stdout).toContain(`API URL: ${status.api_url}`)
    // Well under a second (measured about 0.2 s on a loaded 2-core machine).
    expect(Math.min(...runs.map((run) => run.ms))).toBeLessThan(1_000)
  })

  it('prints clean JSON through pnpm', async () => {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        'pnpm',
        ['stack:status', '--json'],
        { cwd: repoRoot(), env: { ...process.env, ...cli.env }, encoding: 'utf8' },
        (error, out) => (error ? reject(error) : resolve(out)),
      ),
    )
    expect(JSON.parse(stdout)).toEqual(status)
  })
})

describe('pnpm dev beside a running background stack', () => {
  it('says so and how to go on, instead of starting a second stack', async () => {
    const run = await cli.run(['dev'])
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      `The local stack already runs in the background (pid ${cli.state()?.pid}), so \`pnpm dev\` did not start a second one.\nFix: use it as it is (\`pnpm stack:status\`), or stop it first with \`pnpm stack:stop\`.\n`,
    )
  })
})

describe('the database is killed under traffic', () => {
  type Outcome =
    | { ok: true; id: string }
    | { ok: false; status: number; code: string; body: unknown }
  const outcomes: Outcome[] = []
  let killedPid: number
  let write: (n: number) => Promise<Outcome>

  beforeAll(async () => {
    const owner = client(accessToken)
    write = async (n: number): Promise<Outcome> => {
      const {
        data,
        error,
        status: httpStatus,
      } = await owner.rpc('create_deal', {
        p_org_id: ACME,
        p_title: `fault ${n}`,
        p_visibility: 'private',
      })
      if (!error) return { ok: true, id: (data as { id: string }).id }
      return { ok: false, status: httpStatus, code: error.code, body: error }
    }
    let n = 0
    let stop = false
    let firstFailureAt = 0
    let recoveredAt = 0
    const deadline = Date.now() + 40_000
    const worker = async () => {
      while (!stop && Date.now() < deadline) {
        const sentAt = Date.now()
        const outcome = await write(n++)
        outcomes.push(outcome)
        if (!outcome.ok && !firstFailureAt) firstFailureAt = sentAt
        // Recovered: a write sent after the outage began went through.
        if (outcome.ok && firstFailureAt && sentAt > firstFailureAt && !recoveredAt) {
          recoveredAt = Date.now()
        }
        if (recoveredAt && Date.now() - recoveredAt > 1_000) stop = true
      }
    }
    const workers = [worker(), worker(), worker(), worker()]
    await sleep(500)
    killedPid = cli.state()?.db_pid as number
    process.kill(killedPid, 'SIGKILL')
    await Promise.all(workers)
  }, 60_000)

  it('answers 503 with PostgREST bodies while the database is down, never a client error', () => {
    const failures = outcomes.filter((o) => !o.ok)
    expect(failures.length).toBeGreaterThan(0)
    for (const failure of failures) {
      expect(failure).toMatchObject({ ok: false, status: 503 })
      expect(['PGRST000', 'PGRST001', '57P01']).toContain((failure as { code: string }).code)
    }
    const refused = failures.find((f) => (f as { code: string }).code === 'PGRST000') as
      | { body: unknown }
      | undefined
    expect(refused?.body).toMatchObject({
      code: 'PGRST000',
      message: 'Database connection error. Retrying the connection.',
      hint: null,
    })
  })

  it('restarts PostgreSQL by itself and answers again', async () => {
    // Writers stop a second after the first write sent during the outage went through; one sent
    // now must go through too (the last one to finish may have been sent before the restart).
    expect(outcomes.some((o) => o.ok)).toBe(true)
    const after = await write(-1)
    expect(after).toMatchObject({ ok: true })
    outcomes.push(after)
    const state = cli.state()
    expect(state?.db_pid).toBeTypeOf('number')
    expect(state?.db_pid).not.toBe(killedPid)
    expect((await cli.run(['status'])).code).toBe(0)
    const log = await readFile(path.join(cli.home, 'stack.log'), 'utf8')
    expect(log).toContain(
      `PostgreSQL (pid ${killedPid}) exited unexpectedly (signal SIGKILL); restarting it`,
    )
  })

  it('loses no acknowledged write', async () => {
    const acknowledged = outcomes.flatMap((o) => (o.ok ? [o.id] : []))
    expect(acknowledged.length).toBeGreaterThan(10)
    const db = new pg.Client({ connectionString: status.db_url })
    await db.connect()
    try {
      const { rows } = await db.query(
        'select count(*)::int as n from app.deals where id = any($1)',
        [acknowledged],
      )
      expect(rows[0].n).toBe(acknowledged.length)
    } finally {
      await db.end()
    }
  })
})

describe('the stack process is killed', () => {
  let killed: { pid: number; dbPid: number }

  beforeAll(async () => {
    const state = cli.state()
    killed = { pid: state?.pid as number, dbPid: state?.db_pid as number }
    process.kill(killed.pid, 'SIGKILL')
  })

  it('takes PostgreSQL down with it', async () => {
    expect(await waitForExit(killed.dbPid, 10_000)).toBe(true)
  })

  it('is reported by stack:status with the command that fixes it', async () => {
    const run = await cli.run(['status'])
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      `The local stack is not running: its process (pid ${killed.pid}) is gone.\nFix: \`pnpm stack:start\`.\n`,
    )
  })

  it('starts again cleanly, and the access token from before still works', async () => {
    const run = await startStack()
    expect(run.stdout).toMatch(/^Started the local stack in \d+\.\d s\./)
    const { data, error } = await client(accessToken).rpc('list_subscription_products')
    expect(error).toBeNull()
    expect((data as unknown[]).length).toBeGreaterThan(0)
  })
})

describe('PostgreSQL left behind by a killed stack', () => {
  let orphan: number

  beforeAll(async () => {
    const state = cli.state()
    orphan = state?.db_pid as number
    // Without its watchdog, nothing stops the server when the stack dies.
    process.kill(state?.db_watchdog_pid as number, 'SIGKILL')
    process.kill(state?.pid as number, 'SIGKILL')
    await waitForExit(state?.pid as number, 5_000)
  })

  it('is named by stack:status', async () => {
    const pid = cli.state()?.pid
    const run = await cli.run(['status'])
    expect(run.stderr).toBe(
      `The local stack is not running: its process (pid ${pid}) is gone, but PostgreSQL (pid ${orphan}) still runs on ${path.join(cli.home, 'db')}.\nFix: \`pnpm stack:start\` stops it and starts the stack again.\n`,
    )
  })

  it('is stopped by stack:start, which then starts the stack', async () => {
    expect(isAlive(orphan)).toBe(true)
    const run = await startStack()
    expect(run.stdout).toContain(
      `Stopped PostgreSQL (pid ${orphan}) left running by a stack that was killed.\nStarted the local stack in`,
    )
    expect(isAlive(orphan)).toBe(false)
  })
})

describe('a part that stops answering', () => {
  it('is named by stack:status, and stack:start restarts the stack', async () => {
    const state = cli.state()
    process.kill(state?.db_pid as number, 'SIGSTOP')
    try {
      const run = await cli.run(['status'])
      expect(run.code).toBe(1)
      expect(run.stderr).toBe(
        `The local stack (pid ${state?.pid}) is running, but not every part answers:\n  database      DOWN  127.0.0.1:${cli.ports.db} (no answer)\n  API gateway   up    ${status.api_url}\n  mail catcher  up    ${status.mail_url}\nFix: \`pnpm stack:start\` restarts the parts that are down.\n`,
      )
    } finally {
      process.kill(state?.db_pid as number, 'SIGCONT')
    }
    process.kill(state?.pid as number, 'SIGSTOP')
    const run = await startStack()
    expect(run.stdout).toContain(
      'Restarted the local stack: its API gateway and mail catcher did not answer.\nStarted the local stack in',
    )
    expect(isAlive(state?.pid as number)).toBe(false)
  })
})

describe('tokens across restarts', () => {
  it('keeps the signing key across stop and start', async () => {
    expect((await cli.run(['stop'])).stdout).toBe('Stopped the local stack.\n')
    await startStack()
    const { data, error } = await client(accessToken).auth.getUser()
    expect(error).toBeNull()
    expect(data.user?.email).toBe(OWNER.email)
  })

  it("answers a token signed by an unknown key with the real services' messages", async () => {
    const { privateKey } = await generateKeyPair('ES256')
    const kid = 'b81269f1-0000-4000-8000-000000000000'
    const token = await new SignJWT({
      sub: 'a0000000-0000-4000-8000-000000000001',
      role: 'authenticated',
    })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .setExpirationTime('1h')
      .sign(privateKey)
    const rest = await fetch(`${status.rest_url}/rpc/list_subscription_products`, {
      method: 'POST',
      headers: { apikey: status.anon_key as string, authorization: `Bearer ${token}` },
    })
    expect(rest.status).toBe(401)
    expect(await rest.json()).toEqual({
      code: 'PGRST301',
      details: 'No suitable key was found to decode the JWT',
      hint: null,
      message: 'No suitable key or wrong key type',
    })
    const auth = await fetch(`${status.auth_url}/user`, {
      headers: {
        apikey: status.anon_key as string,
        authorization: `Bearer ${token}`,
        'x-supabase-api-version': '2024-01-01',
      },
    })
    expect(auth.status).toBe(403)
    expect(await auth.json()).toEqual({
      code: 'bad_jwt',
      message: `invalid JWT: unable to parse or verify signature, token is unverifiable: error while executing keyfunc: unrecognized JWT kid ${kid} for algorithm ES256`,
    })
  })

  it('appends the log across restarts', async () => {
    const log = await readFile(path.join(cli.home, 'stack.log'), 'utf8')
    expect(log.match(/^==== stack:start /gm)?.length).toBeGreaterThanOrEqual(5)
  })

  it('makes a new signing key on stack:reset, so old tokens are refused', async () => {
    const reset = await cli.run(['reset'])
    expect(reset.code).toBe(0)
    const { error, status: httpStatus } = await client(accessToken).rpc(
      'list_subscription_products',
    )
    expect(httpStatus).toBe(401)
    expect(error).toMatchObject({ code: 'PGRST301', message: 'No suitable key or wrong key type' })
  })
})

describe('a database that keeps dying', () => {
  it('is restarted up to five times a minute; the sixth exit stops the stack, which says why', async () => {
    const stackPid = cli.state()?.pid as number
    for (let exit = 1; exit <= 6; exit++) {
      const dbPid = cli.state()?.db_pid as number
      process.kill(dbPid, 'SIGKILL')
      if (exit === 6) break
      // The restart writes the new server's pid to the state file.
      const deadline = Date.now() + 20_000
      while (cli.state()?.db_pid === dbPid && Date.now() < deadline) await sleep(100)
      expect(cli.state()?.db_pid, `restart after exit ${exit}`).not.toBe(dbPid)
    }
    await waitForExit(stackPid, 20_000)
    expect(isAlive(stackPid), 'the stack process after the sixth exit').toBe(false)
    const reason =
      'PostgreSQL exited 6 times within a minute (last: signal SIGKILL), so the stack stopped.'
    const log = await readFile(path.join(cli.home, 'stack.log'), 'utf8')
    expect(log).toContain(`stopping the stack: ${reason}`)
    const run = await cli.run(['status'])
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      `The local stack stopped: ${reason}\nFix: \`pnpm stack:start\` (the log is ${path.join(cli.home, 'stack.log')}).\n`,
    )
  }, 120_000)
})
