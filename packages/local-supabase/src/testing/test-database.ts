import { randomBytes, randomUUID } from 'node:crypto'
import bcrypt from 'bcryptjs'
import pg from 'pg'
import { inject } from 'vitest'
import { type Cluster, connectionUrl, SUPERUSER } from '#src/db/cluster.ts'
import { createDatabase, dropDatabase } from '#src/db/platform.ts'
import { type TemplateKind, templateName } from '#src/testing/templates.ts'

export type TestClusterInfo = {
  host: string
  port: number
  /** Why a template could not be built (an SQL error in a package), reported by each test file. */
  templateErrors: Partial<Record<TemplateKind, string>>
}

declare module 'vitest' {
  export interface ProvidedContext {
    tenantbaseCluster: TestClusterInfo
  }
}

export type Login =
  | 'postgres'
  | 'authenticator'
  | 'supabase_auth_admin'
  | 'supabase_storage_admin'
  | typeof SUPERUSER
export type TestUser = { id: string; email: string }
export type Actor = 'anon' | 'service_role' | TestUser
// Rows default to a loose record so tests can read columns without declaring a type each time.
// biome-ignore lint/suspicious/noExplicitAny: test rows are checked by assertions, not types
export type Query = <T extends pg.QueryResultRow = Record<string, any>>(
  sql: string,
  params?: unknown[],
) => Promise<T[]>
export type Session = {
  /** One statement in its own transaction; resolves to the rows. */
  query: Query
  /** Several statements in one transaction, committed when fn resolves, rolled back when it throws. */
  tx<R>(fn: (query: Query, client: pg.PoolClient) => Promise<R>): Promise<R>
}

export type TestDatabase = Session & {
  name: string
  adapter: TemplateKind
  /** URL of this database for the `postgres` login (BYPASSRLS, not a superuser: the migration role). */
  url: string
  urlFor(login: Login): string
  superuser: Session
  asAuthAdmin: Session
  /** Runs SQL the way PostgREST does for a caller: role + request.jwt.claims in one transaction. */
  as(actor: Actor, options?: { claims?: Record<string, unknown> }): Session
  createUser(input: {
    email?: string
    password?: string
    metadata?: Record<string, unknown>
    appMetadata?: Record<string, unknown>
  }): Promise<TestUser>
  close(): Promise<void>
}

let counter = 0

/** A fresh database for one test file, cloned from a template built by the global setup. */
export async function createTestDatabase(
  options: { adapter?: TemplateKind } = {},
): Promise<TestDatabase> {
  const adapter = options.adapter ?? 'supabase'
  const info = inject('tenantbaseCluster')
  if (!info) {
    throw new Error(
      "No test cluster: add globalSetup: ['@tenantbase/local-supabase/testing/global-setup'] to vitest.config.ts",
    )
  }
  const failure = info.templateErrors[adapter]
  if (failure) throw new Error(`The ${adapter} template database could not be built:\n${failure}`)
  const cluster: Cluster = {
    host: info.host,
    port: info.port,
    url: (user, database) => connectionUrl(info.host, info.port, user, database),
    stop: async () => undefined,
  }
  counter += 1
  const name = `test_${process.pid}_${counter}_${randomBytes(3).toString('hex')}`
  await createDatabase(cluster, name, templateName(adapter))
  return openTestDatabase(cluster, name, adapter)
}

function openTestDatabase(cluster: Cluster, name: string, adapter: TemplateKind): TestDatabase {
  const pools = new Map<Login, pg.Pool>()
  const pool = (login: Login) => {
    let found = pools.get(login)
    if (!found) {
      found = new pg.Pool({ connectionString: cluster.url(login, name), max: 4 })
      // An idle client losing its connection must not crash the test process.
      found.on('error', () => undefined)
      pools.set(login, found)
    }
    return found
  }

  const session = (login: Login, prepare?: (client: pg.PoolClient) => Promise<void>): Session => {
    const tx: Session['tx'] = async (fn) => {
      const client = await pool(login).connect()
      try {
        await client.query('begin')
        if (prepare) await prepare(client)
        const query: Query = async (sql, params) => (await client.query(sql, params)).rows
        const result = await fn(query, client)
        await client.query('commit')
        return result
      } catch (error) {
        await client.query('rollback').catch(() => undefined)
        throw error
      } finally {
        client.release()
      }
    }
    return { tx, query: (sql, params) => tx((q) => q(sql, params)) }
  }

  const as = (actor: Actor, options: { claims?: Record<string, unknown> } = {}): Session => {
    const role = typeof actor === 'string' ? actor : 'authenticated'
    const user = typeof actor === 'string' ? undefined : actor
    return session('authenticator', async (client) => {
      await client.query(`set local role ${pg.escapeIdentifier(role)}`)
      if (adapter === 'payload') {
        await client.query(
          `select set_config('app.current_user_id', $1, true), set_config('app.current_user_email', $2, true)`,
          [user?.id ?? '', user?.email ?? ''],
        )
        return
      }
      const now = Math.floor(Date.now() / 1000)
      const claims = user
        ? {
            iss: 'http://127.0.0.1:54321/auth/v1',
            sub: user.id,
            aud: 'authenticated',
            role,
            email: user.email,
            iat: now,
            exp: now + 3600,
            aal: 'aal1',
            is_anonymous: false,
            ...options.claims,
          }
        : { role, iss: 'supabase-demo', ...options.claims }
      await client.query(`select set_config('request.jwt.claims', $1, true)`, [
        JSON.stringify(claims),
      ])
    })
  }

  const createUser: TestDatabase['createUser'] = async (input) => {
    const email = (input.email ?? `user-${randomUUID()}@example.com`).toLowerCase()
    if (adapter !== 'supabase') return { id: randomUUID(), email }
    const hash = input.password ? await bcrypt.hash(input.password, 4) : ''
    // Inserted like GoTrue does, as supabase_auth_admin. Test users need no invitation.
    return session('supabase_auth_admin').tx(async (q) => {
      await q(`select set_config('tenantbase.allow_uninvited_user', 'on', true)`)
      const [row] = await q<{ id: string }>(
        `insert into auth.users (instance_id, id, aud, role, email, encrypted_password,
           email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
           confirmation_token, recovery_token, email_change_token_new, email_change)
         values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated',
           'authenticated', $1, $2, now(), $3, $4, now(), now(), '', '', '', '')
         returning id`,
        [
          email,
          hash,
          JSON.stringify({ provider: 'email', providers: ['email'], ...input.appMetadata }),
          JSON.stringify(input.metadata ?? {}),
        ],
      )
      if (!row) throw new Error('auth.users insert returned no row')
      await q(
        `insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
         values ($1, $2, $3, 'email', now(), now(), now())`,
        [row.id, row.id, JSON.stringify({ sub: row.id, email, email_verified: true })],
      )
      return { id: row.id, email }
    })
  }

  const own = session('postgres')
  return {
    name,
    adapter,
    url: cluster.url('postgres', name),
    urlFor: (login) => cluster.url(login, name),
    query: own.query,
    tx: own.tx,
    superuser: session(SUPERUSER),
    asAuthAdmin: session('supabase_auth_admin'),
    as,
    createUser,
    close: async () => {
      await Promise.all([...pools.values()].map((p) => p.end()))
      pools.clear()
      await dropDatabase(cluster, name)
    },
  }
}
