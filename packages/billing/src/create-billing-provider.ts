import type { BillingDb, BillingProvider } from '#src/billing-provider.ts'
import { type BillingStore, customerLookupFromStore, toBillingStore } from '#src/billing-store.ts'
import type { BillingEnv } from '#src/env.ts'
import { createLemonSqueezyProvider } from '#src/lemon-squeezy/create-lemon-squeezy-provider.ts'
import { createStripeProvider } from '#src/stripe/create-stripe-provider.ts'

/**
 * The configured provider, with customer lookups from the platform schema (a BillingStore, or a
 * pg pool on a trusted login).
 */
export function createBillingProvider(
  env: BillingEnv,
  source: BillingStore | BillingDb,
): BillingProvider {
  const store = toBillingStore(source)
  if (env.BILLING_PROVIDER === 'stripe') {
    return createStripeProvider({
      secretKey: env.STRIPE_SECRET_KEY,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET,
      lookupCustomer: customerLookupFromStore(store, 'stripe'),
      client: env.STRIPE_API_URL ? stripeClientFor(env.STRIPE_API_URL) : undefined,
    })
  }
  return createLemonSqueezyProvider({
    apiKey: env.LEMON_SQUEEZY_API_KEY,
    storeId: env.LEMON_SQUEEZY_STORE_ID,
    webhookSecret: env.LEMON_SQUEEZY_WEBHOOK_SECRET,
    lookupCustomer: customerLookupFromStore(store, 'lemon_squeezy'),
  })
}

/** SDK options that send Stripe API calls to another base URL (a local fake in tests). */
function stripeClientFor(url: string) {
  const base = new URL(url)
  const protocol = base.protocol === 'http:' ? 'http' : 'https'
  return {
    host: base.hostname,
    port: base.port || (protocol === 'http' ? '80' : '443'),
    protocol,
  } as const
}
