import {
  type BillingDb,
  BillingError,
  type BillingEvent,
  type BillingProvider,
} from '#src/billing-provider.ts'

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
  db: BillingDb,
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
    const outcome = await applyBillingEvent(db, event)
    return { status: 200, body: { received: true, outcome } }
  } catch (error) {
    return {
      status: 500,
      body: { received: false, error: `Could not store the event: ${(error as Error).message}` },
    }
  }
}

/** Applies a normalized event through platform.apply_billing_event (service role only). */
export async function applyBillingEvent(db: BillingDb, event: BillingEvent): Promise<string> {
  const { rows } = await db.query('select platform.apply_billing_event($1::jsonb) as outcome', [
    JSON.stringify({
      provider: event.provider,
      event_id: event.eventId,
      type: event.type,
      occurred_at: event.occurredAt,
      organization_id: event.organizationId,
      customer: event.customer,
      subscription: event.subscription && {
        id: event.subscription.id,
        status: event.subscription.status,
        price_id: event.subscription.priceId,
        quantity: event.subscription.quantity,
        current_period_end: event.subscription.currentPeriodEnd,
        cancel_at_period_end: event.subscription.cancelAtPeriodEnd,
      },
    }),
  ])
  return String(rows[0]?.outcome)
}
