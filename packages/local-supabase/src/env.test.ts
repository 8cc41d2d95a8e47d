import { describe, expect, it } from 'vitest'
import { redactUrl, stackEnv } from '#src/env.ts'

describe('stackEnv', () => {
  it('reads only TENANTBASE_ variables', () => {
    expect(
      stackEnv({
        DATABASE_URL: 'postgresql://app@db/app',
        SUPABASE_URL: 'http://x',
        TENANTBASE_DATABASE_URL: ' postgresql://postgres:pw@127.0.0.1:5432/postgres ',
        TENANTBASE_STACK_HOME: '/tmp/home',
        TENANTBASE_API_PORT: '4000',
      }),
    ).toEqual({
      databaseUrl: 'postgresql://postgres:pw@127.0.0.1:5432/postgres',
      home: '/tmp/home',
      ports: { api: 4000 },
    })
    expect(stackEnv({ TENANTBASE_DATABASE_URL: '' })).toEqual({ ports: {} })
  })

  it('names a wrong value and the fix', () => {
    expect(() => stackEnv({ TENANTBASE_DB_PORT: '0' })).toThrow(
      'TENANTBASE_DB_PORT must be a port number from 1 to 65535, not "0": fix it or unset it to use the port in supabase/config.toml.',
    )
    expect(() => stackEnv({ TENANTBASE_DATABASE_URL: 'http://u:pw@host/db' })).toThrow(
      'TENANTBASE_DATABASE_URL is not a PostgreSQL URL ("http://u:***@host/db"): set it to postgresql://user:password@host:5432/postgres, or unset it to use the embedded PostgreSQL.',
    )
  })

  it('hides passwords in URLs it shows', () => {
    expect(redactUrl('postgresql://a:secret@h:1/d')).toBe('postgresql://a:***@h:1/d')
    expect(redactUrl('postgresql://a@h/d')).toBe('postgresql://a@h/d')
  })
})
