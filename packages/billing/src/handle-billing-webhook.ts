import {
  type BillingDb,
  BillingError,
  type BillingEvent,
  type BillingProvider,
} from '#src/billing-provider.ts'
import { type BillingStore, toBillingStore } from '#src/billing-store.ts'

export type WebhookResult = {
  status: number
  body: { received: boolean; outcome?: string; error?: string }
}

/**
 * Verifies and applies one provider webhook; usable from any framework (pass the Request with
 * its raw body untouched). 400 on a bad signature, 2xx on applied, replayed, stale and ignored
 * events, 500 only when the database write fails so the provider retries.
 */
export async function handleBillingWebhook(
  provider: BillingProvider,
  request: Request,
  source: BillingStore | BillingDb,
): Promise<WebhookResult> {
  const rawBody = await request.text()
  let event: BillingEvent
  try {
    event = await provider.parseWebhook(rawBody, request.headers)
  } catch (error) {
    if (error instanceof BillingError)
      return { status: 400, body: { received: false, error: error.message } }
    throw error
  }
  try {
    const outcome = await applyBillingEvent(source, event)
    return { status: 200, body: { received: true, outcome } }
  } catch (error) {
    const message = (error as Error).message
    return {
      status: 500,
      body: { received: false, error: `Could not store the event: ${message}` },
    }
  }
}

/** Applies a normalized event through platform.apply_billing_event (service role only). */
export function applyBillingEvent(
  source: BillingStore | BillingDb,
  event: BillingEvent,
): Promise<string> {
  return toBillingStore(source).applyEvent(event)
}
