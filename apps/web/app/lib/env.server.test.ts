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
    expect(parseEnv(valid)).toEqual({ ...valid, APP_URL: 'http://127.0.0.1:5173', billing: null })
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

describe('the app environment', () => {
  it('runs without billing when BILLING_PROVIDER is empty or unset', () => {
    expect(parseEnv({ ...valid, BILLING_PROVIDER: '' })).toMatchObject({
      APP_URL: 'http://127.0.0.1:5173',
      billing: null,
    })
    expect(parseEnv(valid).billing).toBeNull()
  })

  it("reads the chosen provider's keys, and names the missing ones", () => {
    expect(
      parseEnv({
        ...valid,
        BILLING_PROVIDER: 'stripe',
        STRIPE_SECRET_KEY: 'sk_test_1',
        STRIPE_WEBHOOK_SECRET: 'whsec_1',
      }).billing,
    ).toEqual({
      BILLING_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_1',
      STRIPE_WEBHOOK_SECRET: 'whsec_1',
    })
    expect(() => parseEnv({ ...valid, BILLING_PROVIDER: 'stripe' })).toThrow(
      'The app cannot start: STRIPE_SECRET_KEY is missing; STRIPE_WEBHOOK_SECRET is missing.',
    )
    expect(() => parseEnv({ ...valid, BILLING_PROVIDER: 'paypal' })).toThrow(
      'BILLING_PROVIDER is invalid (must be stripe, lemon_squeezy or empty)',
    )
  })
})
