import type { Server } from 'node:http'
import type { AddressInfo, Server as Listener } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import pg from 'pg'
import { createGatewayApp } from '#src/gateway/app.ts'
import type { StackConfig } from '#src/gateway/config.ts'
import type { GatewayContext, Login } from '#src/gateway/context.ts'
import { createSigner } from '#src/gateway/jwt.ts'
import type { Mailer } from '#src/mail/mailer.ts'

export type Gateway = { url: string; port: number; close(): Promise<void> }

/**
 * Starts the gateway on host:port (port 0 = any free port), or on a listener already bound (the
 * stack binds its ports before it starts). `databaseUrl` is any login URL of the target
 * database; each service connects with its own Supabase login (password `postgres`).
 */
export async function startGateway(options: {
  databaseUrl: string
  port: number | Listener
  host?: string
  config: StackConfig
  storageDir: string
  mailer: Mailer
  /** Where the signing key is kept across restarts; without it, a key for this run only. */
  signingKeyFile?: string
  /** The stack home this gateway serves, told on `GET /` so another checkout can name it. */
  stackHome?: string
  /** How long a new database connection may take before the request gets a 503. */
  connectTimeoutMs?: number
}): Promise<Gateway> {
  const host = options.host ?? '127.0.0.1'
  const pools = new Map<Login, pg.Pool>()
  const pool = (login: Login) => {
    let found = pools.get(login)
    if (!found) {
      const url = new URL(options.databaseUrl)
      url.username = login
      url.password = 'postgres'
      const config: pg.PoolConfig & { pipeline?: boolean } = {
        connectionString: url.toString(),
        max: 10,
        idleTimeoutMillis: 10_000,
        // Without it a connection attempt to a host that never answers waits forever.
        connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
        // REST sends a request's BEGIN, settings and statement without waiting for each answer
        // (rest/transaction.ts). Queries awaited one by one behave as on any connection.
        pipeline: login === 'authenticator',
      }
      found = new pg.Pool(config)
      // A dropped connection (database restart) must not take the gateway down: the pool drops
      // the broken client and opens a new connection for the next request.
      found.on('error', () => undefined)
      // The pool listens for errors only while a client is idle. A client checked out by a
      // request whose server dies between two queries emits 'error' with nobody listening,
      // which would crash the gateway; the request itself still fails through its query.
      found.on('connect', (client) => client.on('error', () => undefined))
      pools.set(login, found)
    }
    return found
  }
  const ctx: GatewayContext = {
    pool,
    config: options.config,
    signer: await createSigner({ keyFile: options.signingKeyFile }),
    mailer: options.mailer,
    apiUrl: '',
    storageDir: options.storageDir,
    stackHome: options.stackHome,
  }
  const app = createGatewayApp(ctx)
  const server = createAdaptorServer({ fetch: app.fetch, hostname: host }) as Server
  // Idle connections stay open for a minute, as behind Supabase's Kong. With Node's 5 s a
  // client can reuse a connection just as the server closes it and see a reset (busy machines
  // and long uploads hit this); headers may take a moment longer than that.
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    if (typeof options.port === 'number') server.listen(options.port, host, resolve)
    else server.listen(options.port, resolve)
  })
  const port = (server.address() as AddressInfo).port
  ctx.apiUrl = `http://${host}:${port}`
  return {
    url: ctx.apiUrl,
    port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // Requests still open (a client waiting on a dead database) must not hold a stop for long.
      setTimeout(() => server.closeAllConnections(), 2_000).unref()
      await closed
      await Promise.all([...pools.values()].map((p) => p.end()))
    },
  }
}
