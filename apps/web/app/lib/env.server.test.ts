import { describe, expect, it } from 'vitest'
import { parseEnv } from '#app/lib/env.server.ts'

const valid = {
  SUPABASE_URL: 'http://127.0.0.1:54321',
  SUPABASE_ANON_KEY: 'anon-key-anon-key-anon-key',
  SUPABASE_SERVICE_ROLE_KEY: 'service-key-service-key-service',
  APP_URL: 'http://127.0.0.1:5173/',
  SMTP_URL: 'smtp://127.0.0.1:54325',
  MAIL_FROM: 'Tenantbase <no-reply@tenantbase.local>',
}

describe('parseEnv', () => {
  it('accepts the local stack settings and drops the trailing slash of APP_URL', () => {
    expect(parseEnv(valid)).toEqual({ ...valid, APP_URL: 'http://127.0.0.1:5173' })
  })

  it('names every missing variable', () => {
    const { SUPABASE_URL: _u, SMTP_URL: _s, ...rest } = valid
    expect(() => parseEnv(rest)).toThrow(
      'The app cannot start: SUPABASE_URL is missing; SMTP_URL is missing. Copy .env.example to .env or set them in the environment.',
    )
  })

  it('names an invalid variable and why', () => {
    expect(() => parseEnv({ ...valid, SMTP_URL: 'http://mail' })).toThrow(
      'SMTP_URL is invalid (must start with smtp:// or smtps://)',
    )
  })
})
