import { LocalStackError } from '#src/errors.ts'

/**
 * The stack's own settings from the environment. Every name starts with TENANTBASE_, so nothing
 * an app's `.env` holds (DATABASE_URL, SUPABASE_URL, ...) changes what the stack does.
 *
 * Parsed by hand, not with Zod: `stack:status` reads this module and must answer in well under
 * a second, and importing Zod alone costs about 200 ms on the development machines.
 */
export type StackEnv = {
  /** A superuser URL of an existing PostgreSQL server to use instead of the embedded one. */
  databaseUrl?: string
  /** Where the stack keeps its data, state, keys and log (default `<repo>/.tenantbase`). */
  home?: string
  /** Port overrides; by default the ports come from supabase/config.toml. */
  ports: Partial<Record<PortName, number>>
}

export type PortName = 'api' | 'db' | 'mail' | 'smtp'

export const PORT_VARIABLES: Record<PortName, string> = {
  api: 'TENANTBASE_API_PORT',
  db: 'TENANTBASE_DB_PORT',
  mail: 'TENANTBASE_MAIL_PORT',
  smtp: 'TENANTBASE_SMTP_PORT',
}

export const DATABASE_URL_VARIABLE = 'TENANTBASE_DATABASE_URL'
export const HOME_VARIABLE = 'TENANTBASE_STACK_HOME'

const read = (source: NodeJS.ProcessEnv, name: string) => {
  const value = source[name]?.trim()
  return value ? value : undefined
}

/** Reads and checks the TENANTBASE_* variables; a wrong value throws a message naming it. */
export function stackEnv(source: NodeJS.ProcessEnv = process.env): StackEnv {
  const databaseUrl = read(source, DATABASE_URL_VARIABLE)
  if (databaseUrl !== undefined) checkDatabaseUrl(databaseUrl)
  const ports: StackEnv['ports'] = {}
  for (const [name, variable] of Object.entries(PORT_VARIABLES) as [PortName, string][]) {
    const value = read(source, variable)
    if (value === undefined) continue
    const port = Number(value)
    if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
      throw new LocalStackError(
        'invalid_env',
        `${variable} must be a port number from 1 to 65535, not "${value}": fix it or unset it to use the port in supabase/config.toml.`,
      )
    }
    ports[name] = port
  }
  return { databaseUrl, home: read(source, HOME_VARIABLE), ports }
}

function checkDatabaseUrl(value: string) {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {}
  if (!url || !['postgres:', 'postgresql:'].includes(url.protocol) || !url.hostname) {
    throw new LocalStackError(
      'invalid_env',
      `${DATABASE_URL_VARIABLE} is not a PostgreSQL URL ("${redactUrl(value)}"): set it to postgresql://user:password@host:5432/postgres, or unset it to use the embedded PostgreSQL.`,
    )
  }
}

/** The URL with its password replaced, for messages and logs. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value)
    if (url.password) url.password = '***'
    return url.toString()
  } catch {
    return value.replace(/:[^:@/]*@/, ':***@')
  }
}
