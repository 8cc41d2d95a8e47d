import {
  BillingError,
  type BillingProvider,
  type BillingStore,
  billingStoreFromSupabase,
  createBillingProvider,
} from '@tenantbase/billing'
import { env } from '#app/lib/env.server.ts'
import type { Refusal } from '#app/lib/errors.server.ts'
import { serviceClient } from '#app/lib/service.server.ts'

export type Billing = { provider: BillingProvider; store: BillingStore }

let cached: Billing | null | undefined

/**
 * The payment provider chosen by BILLING_PROVIDER (Stripe or Lemon Squeezy), or null when none
 * is configured (every organization is then on the free plan or an operator's override). The
 * sync reaches the platform schema through the API with the service key, so the app needs no
 * database login.
 */
export function billing(): Billing | null {
  if (cached === undefined) {
    const config = env().billing
    if (!config) {
      cached = null
    } else {
      const store = billingStoreFromSupabase(serviceClient())
      cached = { provider: createBillingProvider(config, store), store }
    }
  }
  return cached
}

/** How the provider is called in sentences. */
export function providerLabel(name: BillingProvider['name']): string {
  return name === 'stripe' ? 'Stripe' : 'Lemon Squeezy'
}

/** A provider's failure as a status and a sentence for the page (anything else is rethrown). */
export function describeBillingError(error: unknown, provider: string): Refusal {
  if (!(error instanceof BillingError)) throw error
  switch (error.code) {
    case 'no_customer':
      return {
        status: 409,
        message: `This organization has no ${provider} customer yet: choose a plan first.`,
      }
    case 'invalid_input':
      return { status: 400, message: error.message }
    default:
      console.error(`${provider} call failed: ${error.message}`)
      return {
        status: 502,
        message: `${provider} did not answer as expected. Nothing was charged; try again in a moment.`,
      }
  }
}
