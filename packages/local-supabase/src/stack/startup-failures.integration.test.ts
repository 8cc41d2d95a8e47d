import net from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import { freePort } from '#src/db/cluster.ts'
import { createStackCli, type StackCli } from '#src/testing/stack-cli.ts'

// Each startup failure, met the way a developer meets it: `stack:start` against the condition,
// one or two lines that name the thing, the cause and the fix, exit code 1, no stack trace.

const servers: net.Server[] = []
/** Holds a port the way another program would. */
async function occupy(port: number): Promise<void> {
  // Reads and ignores what it is sent, like a program that does not speak HTTP.
  const server = net.createServer((socket) => socket.resume())
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  servers.push(server)
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at /)

let cli: StackCli
beforeAll(async () => {
  cli = await createStackCli()
})
afterAll(() => cli.dispose())

describe('a port the stack needs is in use', () => {
  it('names the API port, its service and the variable that set it', async () => {
    await occupy(cli.ports.api)
    const run = await cli.run(['start'])
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      `Port ${cli.ports.api} for the API gateway (Auth, REST, Storage) is already in use by another program.\nFix: stop that program, or change TENANTBASE_API_PORT.\n`,
    )
    noStackTrace(run.stderr)
  })

  it('names the database port', async () => {
    await occupy(cli.ports.db)
    const run = await cli.run(['start'])
    expect(run.stderr).toBe(
      `Port ${cli.ports.db} for the database (PostgreSQL) is already in use by another program.\nFix: stop that program, or change TENANTBASE_DB_PORT.\n`,
    )
  })

  it('names the mail catcher ports', async () => {
    await occupy(cli.ports.mail)
    await occupy(cli.ports.smtp)
    const run = await cli.run(['start'])
    expect(run.stderr).toBe(
      `Ports ${cli.ports.mail} (mail catcher web page), ${cli.ports.smtp} (mail catcher SMTP) are already in use by other programs.\nFix: stop them, or change TENANTBASE_MAIL_PORT, TENANTBASE_SMTP_PORT.\n`,
    )
  })

  it('points at supabase/config.toml when the port comes from there', async () => {
    // The fixed ports are never bound by tests: the config file's API port is moved onto a busy
    // port through the same checker stack:start runs.
    const { checkPortsFree } = await import('#src/stack/port-check.ts')
    const busy = await freePort()
    await occupy(busy)
    const setting = (port: number, setIn: string) => ({ port, setIn })
    await expect(
      checkPortsFree(
        {
          api: setting(busy, '[api] port in supabase/config.toml'),
          db: setting(await freePort(), '[db] port in supabase/config.toml'),
          mail: setting(await freePort(), '[inbucket] port in supabase/config.toml'),
          smtp: setting(await freePort(), '[inbucket] smtp_port in supabase/config.toml'),
        },
        { home: cli.home },
      ),
    ).rejects.toThrow(
      `Port ${busy} for the API gateway (Auth, REST, Storage) is already in use by another program.\nFix: stop that program, or change [api] port in supabase/config.toml.`,
    )
  })
})

describe('the external database', () => {
  it('names the variable, the URL, host and port when nothing listens there', async () => {
    const port = await freePort()
    const run = await cli.run(['start'], {
      TENANTBASE_DATABASE_URL: `postgresql://postgres:secret@127.0.0.1:${port}/postgres`,
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      `TENANTBASE_DATABASE_URL points at 127.0.0.1:${port} (postgresql://postgres:***@127.0.0.1:${port}/postgres), which refused the connection (nothing listens there).\nFix: start that server or fix the URL, or unset TENANTBASE_DATABASE_URL to use the embedded PostgreSQL.\n`,
    )
    expect(run.stderr).not.toContain('secret')
  })

  it('says when the URL is not a superuser', async () => {
    const { host, port } = inject('tenantbaseCluster')
    const run = await cli.run(['start'], {
      TENANTBASE_DATABASE_URL: `postgresql://postgres:postgres@${host}:${port}/postgres`,
    })
    expect(run.stderr).toBe(
      `TENANTBASE_DATABASE_URL points at ${host}:${port} (postgresql://postgres:***@${host}:${port}/postgres), but its user postgres is not a superuser (the stack creates Supabase's roles there).\nFix: use a superuser URL, or unset TENANTBASE_DATABASE_URL to use the embedded PostgreSQL.\n`,
    )
  })

  it('says when the login is refused', async () => {
    const { host, port } = inject('tenantbaseCluster')
    const run = await cli.run(['start'], {
      TENANTBASE_DATABASE_URL: `postgresql://supabase_admin:wrong@${host}:${port}/postgres`,
    })
    expect(run.stderr).toBe(
      `TENANTBASE_DATABASE_URL points at ${host}:${port} (postgresql://supabase_admin:***@${host}:${port}/postgres), which refused the login: password authentication failed for user "supabase_admin".\nFix: fix the user or password in the URL, or unset TENANTBASE_DATABASE_URL to use the embedded PostgreSQL.\n`,
    )
  })
})

describe('wrong settings', () => {
  it('refuses a TENANTBASE_DATABASE_URL that is not a PostgreSQL URL', async () => {
    const run = await cli.run(['start'], { TENANTBASE_DATABASE_URL: 'mysql://root:pw@db:3306/app' })
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      'TENANTBASE_DATABASE_URL is not a PostgreSQL URL ("mysql://root:***@db:3306/app"): set it to postgresql://user:password@host:5432/postgres, or unset it to use the embedded PostgreSQL.\n',
    )
  })

  it('refuses a port variable that is not a port', async () => {
    const run = await cli.run(['start'], { TENANTBASE_API_PORT: 'eighty' })
    expect(run.stderr).toBe(
      'TENANTBASE_API_PORT must be a port number from 1 to 65535, not "eighty": fix it or unset it to use the port in supabase/config.toml.\n',
    )
  })

  it('refuses them in stack:status and pnpm dev too', async () => {
    const status = await cli.run(['status'], { TENANTBASE_SMTP_PORT: '70000' })
    expect(status.stderr).toBe(
      'TENANTBASE_SMTP_PORT must be a port number from 1 to 65535, not "70000": fix it or unset it to use the port in supabase/config.toml.\n',
    )
    const dev = await cli.run(['dev'], { TENANTBASE_DATABASE_URL: 'not a url' })
    expect(dev.code).toBe(1)
    expect(dev.stderr).toContain('TENANTBASE_DATABASE_URL is not a PostgreSQL URL ("not a url")')
  })
})

describe('a stack that runs', () => {
  let other: StackCli
  let started: Awaited<ReturnType<StackCli['run']>>
  beforeAll(async () => {
    other = await createStackCli()
    // An app's .env loaded into the shell: its DATABASE_URL must not change what the stack does.
    started = await other.run(['start'], { DATABASE_URL: 'postgresql://app:app@127.0.0.1:1/app' })
  })
  afterAll(() => other.dispose())

  it("ignores an app's DATABASE_URL: the stack runs its embedded PostgreSQL", () => {
    expect(started.stderr).toBe('')
    expect(started.code).toBe(0)
    expect(other.state()).toMatchObject({
      database: 'embedded',
      status: { db_url: `postgresql://postgres:postgres@127.0.0.1:${other.ports.db}/postgres` },
    })
  })

  it('is named when a second checkout wants the same ports', async () => {
    const run = await cli.run(['start'], {
      TENANTBASE_API_PORT: String(other.ports.api),
      TENANTBASE_DB_PORT: String(other.ports.db),
      TENANTBASE_MAIL_PORT: String(other.ports.mail),
      TENANTBASE_SMTP_PORT: String(other.ports.smtp),
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      `A Tenantbase stack from another checkout (${other.home}, pid ${other.state()?.pid}) is running on port ${other.ports.api} and 3 more of these ports.\nFix: stop it there with \`pnpm stack:stop\`, or give this checkout other ports (TENANTBASE_API_PORT, TENANTBASE_DB_PORT, TENANTBASE_MAIL_PORT, TENANTBASE_SMTP_PORT).\n`,
    )
  })
})
