import { mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { createClient } from '@supabase/supabase-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '#src/db/cluster.ts'
import { loadStackConfig } from '#src/gateway/config.ts'
import { type Gateway, startGateway } from '#src/gateway/server.ts'
import { ANON_KEY } from '#src/keys.ts'

// A gateway whose database is unreachable answers like the real services whose database is
// down: PostgREST 503 PGRST000, GoTrue 500 unexpected_failure, Storage 500 InternalError.

const noMail = { send: async () => undefined }
let storageDir: string
const gateways: Gateway[] = []
const servers: net.Server[] = []

async function gatewayFor(databaseUrl: string, connectTimeoutMs?: number) {
  const gateway = await startGateway({
    databaseUrl,
    port: 0,
    config: await loadStackConfig(),
    storageDir,
    mailer: noMail,
    connectTimeoutMs,
  })
  gateways.push(gateway)
  return gateway
}

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(os.tmpdir(), 'tenantbase-storage-'))
})
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.close()))
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  await rm(storageDir, { recursive: true, force: true })
})

describe('nothing listens on the database port', () => {
  let gateway: Gateway
  let port: number
  beforeAll(async () => {
    port = await freePort()
    gateway = await gatewayFor(`postgresql://authenticator:postgres@127.0.0.1:${port}/postgres`)
  })

  it('answers REST with 503 PGRST000 and the connection error', async () => {
    const response = await fetch(`${gateway.url}/rest/v1/rpc/list_subscription_products`, {
      method: 'POST',
      headers: { apikey: ANON_KEY, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(response.status).toBe(503)
    expect(response.headers.get('proxy-status')).toBe('PostgREST; error=PGRST000')
    expect(await response.json()).toEqual({
      code: 'PGRST000',
      details: `connection to server at "127.0.0.1", port ${port} failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?`,
      hint: null,
      message: 'Database connection error. Retrying the connection.',
    })
  })

  it('gives supabase-js a retryable error, not a client error', async () => {
    const client = createClient(gateway.url, ANON_KEY, { auth: { persistSession: false } })
    const rest = await client.from('organizations').select('*')
    expect(rest.status).toBe(503)
    expect(rest.error?.code).toBe('PGRST000')
    const auth = await client.auth.signInWithPassword({
      email: 'owner@acme.test',
      password: 'password123',
    })
    expect(auth.error?.name).toBe('AuthRetryableFetchError')
    expect(auth.error?.status).toBe(500)
  })

  it('answers Auth with GoTrue 500 unexpected_failure', async () => {
    const response = await fetch(`${gateway.url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: {
        apikey: ANON_KEY,
        'content-type': 'application/json',
        'x-supabase-api-version': '2024-01-01',
      },
      body: JSON.stringify({ email: 'owner@acme.test', password: 'password123' }),
    })
    expect(response.status).toBe(500)
    expect(response.headers.get('x-sb-error-code')).toBe('unexpected_failure')
    expect(await response.json()).toEqual({
      code: 'unexpected_failure',
      message: 'Unexpected failure, please check server logs for more information',
    })
  })

  it('answers Storage with 500 InternalError', async () => {
    const response = await fetch(`${gateway.url}/storage/v1/bucket`, {
      headers: { apikey: ANON_KEY, authorization: `Bearer ${ANON_KEY}` },
    })
    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({
      statusCode: '500',
      code: 'InternalError',
      error: 'Internal',
      message: 'Internal Server Error',
    })
  })
})

describe('the database host accepts but never answers', () => {
  it('gives up after the connect timeout with 503 PGRST000', async () => {
    // Accepts connections and stays silent, like a server that hangs.
    const server = net.createServer((socket) => socket.resume())
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    servers.push(server)
    const { port } = server.address() as net.AddressInfo
    const gateway = await gatewayFor(
      `postgresql://authenticator:postgres@127.0.0.1:${port}/postgres`,
      300,
    )
    const response = await fetch(`${gateway.url}/rest/v1/rpc/list_subscription_products`, {
      method: 'POST',
      headers: { apikey: ANON_KEY, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({
      code: 'PGRST000',
      details: 'timeout expired',
      hint: null,
      message: 'Database connection error. Retrying the connection.',
    })
  })
})
