import { describe, expect, it } from 'vitest'
import { parseEnv } from '#app/lib/env.server.ts'

const base = {
  SUPABASE_URL: 'http://127.0.0.1:54321',
  SUPABASE_ANON_KEY: 'anon-key-of-at-least-twenty-chars',
  SUPABASE_SERVICE_ROLE_KEY: 'service-key-of-at-least-twenty-chars',
  APP_URL: 'http://127.0.0.1:5173/',
  SMTP_URL: 'smtp://127.0.0.1:54325',
  MAIL_FROM: 'Tenantbase <no-reply@tenantbase.local>',
}

describe('the app environment', () => {
  it('runs without billing when BILLING_PROVIDER is empty or unset', () => {
    expect(parseEnv({ ...base, BILLING_PROVIDER: '' })).toMatchObject({
      APP_URL: 'http://127.0.0.1:5173',
      billing: null,
    })
    expect(parseEnv(base).billing).toBeNull()
  })

  it("reads the chosen provider's keys, and names the missing ones", () => {
    expect(
      parseEnv({
        ...base,
        BILLING_PROVIDER: 'stripe',
        STRIPE_SECRET_KEY: 'sk_test_1',
        STRIPE_WEBHOOK_SECRET: 'whsec_1',
      }).billing,
    ).toEqual({
      BILLING_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_1',
      STRIPE_WEBHOOK_SECRET: 'whsec_1',
    })
    expect(() => parseEnv({ ...base, BILLING_PROVIDER: 'stripe' })).toThrow(
      'The app cannot start: STRIPE_SECRET_KEY is missing; STRIPE_WEBHOOK_SECRET is missing.',
    )
    expect(() => parseEnv({ ...base, BILLING_PROVIDER: 'paypal' })).toThrow(
      'BILLING_PROVIDER is invalid (must be stripe, lemon_squeezy or empty)',
    )
  })
})
