import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

// The README's imports, resolved by package name through package.json#exports, as an app
// resolves them; never by relative path.
const documented = {
  '@tenantbase/billing': [
    'BillingError',
    'applyBillingEvent',
    'billingEventSchema',
    'billingStoreFromDb',
    'billingStoreFromSupabase',
    'checkoutInputSchema',
    'createBillingProvider',
    'customerLookupFromDb',
    'customerLookupFromStore',
    'handleBillingWebhook',
    'lemonSqueezyStatuses',
    'portalInputSchema',
    'stripeStatuses',
    'subscriptionStatusSchema',
    'syncSeats',
  ],
  '@tenantbase/billing/stripe': ['createStripeProvider'],
  '@tenantbase/billing/lemon-squeezy': ['createLemonSqueezyProvider'],
  '@tenantbase/billing/env': ['billingEnvSchema', 'readBillingEnv'],
}

describe('published entry points', () => {
  it('resolve by package name in the test runner, with the documented exports', async () => {
    const loaded = {
      '@tenantbase/billing': await import('@tenantbase/billing'),
      '@tenantbase/billing/stripe': await import('@tenantbase/billing/stripe'),
      '@tenantbase/billing/lemon-squeezy': await import('@tenantbase/billing/lemon-squeezy'),
      '@tenantbase/billing/env': await import('@tenantbase/billing/env'),
    }
    for (const [specifier, names] of Object.entries(documented)) {
      expect(Object.keys(loaded[specifier as keyof typeof loaded]).sort()).toEqual(names)
    }
    expect(loaded['@tenantbase/billing/stripe'].createStripeProvider).toBeTypeOf('function')
    expect(loaded['@tenantbase/billing/lemon-squeezy'].createLemonSqueezyProvider).toBeTypeOf(
      'function',
    )
  })

  it('resolve by package name in plain Node, as an app server imports them', async () => {
    const script = `
      const names = {}
      for (const s of ${JSON.stringify(Object.keys(documented))}) names[s] = Object.keys(await import(s)).sort()
      console.log(JSON.stringify(names))`
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: path.join(import.meta.dirname, '..') },
    )
    expect(JSON.parse(stdout)).toEqual(documented)
  })
})
