import {
  type BillingDb,
  type BillingProvider,
  customerLookupFromDb,
} from '#src/billing-provider.ts'
import type { BillingEnv } from '#src/env.ts'
import { createLemonSqueezyProvider } from '#src/lemon-squeezy/create-lemon-squeezy-provider.ts'
import { createStripeProvider } from '#src/stripe/create-stripe-provider.ts'

/** The configured provider, with customer lookups from the platform schema. */
export function createBillingProvider(env: BillingEnv, db: BillingDb): BillingProvider {
  if (env.BILLING_PROVIDER === 'stripe') {
    return createStripeProvider({
      secretKey: env.STRIPE_SECRET_KEY,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET,
      lookupCustomer: customerLookupFromDb(db, 'stripe'),
    })
  }
  return createLemonSqueezyProvider({
    apiKey: env.LEMON_SQUEEZY_API_KEY,
    storeId: env.LEMON_SQUEEZY_STORE_ID,
    webhookSecret: env.LEMON_SQUEEZY_WEBHOOK_SECRET,
    lookupCustomer: customerLookupFromDb(db, 'lemon_squeezy'),
  })
}
