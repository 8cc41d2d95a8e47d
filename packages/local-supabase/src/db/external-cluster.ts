import pg from 'pg'
import { type Cluster, LOCAL_PASSWORD, SUPERUSER } from '#src/db/cluster.ts'
import { DATABASE_URL_VARIABLE, redactUrl } from '#src/env.ts'
import { LocalStackError } from '#src/errors.ts'

const CONNECT_TIMEOUT_MS = 5_000

/**
 * An existing PostgreSQL server given by TENANTBASE_DATABASE_URL instead of the embedded one. The
 * URL must be a superuser's: the stack creates Supabase's roles there (with the local password)
 * and plays the superuser supabase_admin with the URL's own credentials.
 */
export function externalCluster(databaseUrl: string): Cluster {
  const base = new URL(databaseUrl)
  return {
    host: base.hostname,
    port: Number(base.port || 5432),
    url(user, database = 'postgres') {
      const url = new URL(databaseUrl)
      url.pathname = `/${database}`
      if (user !== SUPERUSER) {
        url.username = encodeURIComponent(user)
        url.password = LOCAL_PASSWORD
      }
      return url.toString()
    },
    stop: async () => undefined,
  }
}

/**
 * Connects once to the external server and checks that the URL's user is a superuser. Every
 * failure names the variable, the URL (password hidden), host and port, the cause and the fix.
 */
export async function checkExternalDatabase(
  databaseUrl: string,
  variable = DATABASE_URL_VARIABLE,
): Promise<void> {
  const url = new URL(databaseUrl)
  const where = `${url.hostname}:${url.port || 5432}`
  const fail = (cause: string, fix = 'start that server or fix the URL') =>
    new LocalStackError(
      'external_database_unreachable',
      `${variable} points at ${where} (${redactUrl(databaseUrl)}), ${cause}.\nFix: ${fix}, or unset ${variable} to use the embedded PostgreSQL.`,
    )
  const client = new pg.Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  })
  client.on('error', () => undefined)
  try {
    await client.connect()
  } catch (error) {
    const e = error as { code?: string; message?: string }
    if (e.code === 'ECONNREFUSED')
      throw fail('which refused the connection (nothing listens there)')
    if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')
      throw fail(`whose host ${url.hostname} was not found`)
    if (/timeout/i.test(e.message ?? '') || e.code === 'ETIMEDOUT') {
      throw fail(`which did not answer within ${CONNECT_TIMEOUT_MS / 1000} s`)
    }
    if (e.code === '28P01' || e.code === '28000') {
      throw fail(`which refused the login: ${e.message}`, 'fix the user or password in the URL')
    }
    if (e.code === '3D000') throw fail(`but ${e.message}`, 'create that database or fix the URL')
    throw fail(`which could not be reached: ${e.message ?? String(error)}`)
  }
  try {
    const { rows } = await client.query<{ superuser: boolean; user: string }>(
      `select rolsuper as superuser, current_user as user from pg_catalog.pg_roles where rolname = current_user`,
    )
    if (!rows[0]?.superuser) {
      throw fail(
        `but its user ${rows[0]?.user ?? url.username} is not a superuser (the stack creates Supabase's roles there)`,
        'use a superuser URL',
      )
    }
  } finally {
    await client.end().catch(() => undefined)
  }
}
