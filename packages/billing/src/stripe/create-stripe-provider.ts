import Stripe from 'stripe'
import {
  BillingError,
  type BillingEvent,
  type BillingProvider,
  type CustomerLookup,
  checkoutInputSchema,
  type NormalizedSubscription,
  parseInput,
  portalInputSchema,
} from '#src/billing-provider.ts'
import { mapStatus, stripeStatuses } from '#src/statuses.ts'

export type StripeProviderOptions = {
  secretKey: string
  webhookSecret: string
  lookupCustomer: CustomerLookup
  /** SDK options, e.g. { host, port, protocol } to point it at a local fake. */
  client?: Stripe.StripeConfig
}

/** Stripe through the official SDK. The organization id rides in subscription_data.metadata. */
export function createStripeProvider(options: StripeProviderOptions): BillingProvider {
  const stripe = new Stripe(options.secretKey, { maxNetworkRetries: 1, ...options.client })

  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn()
    } catch (error) {
      throw new BillingError(
        'provider_error',
        `Stripe ${what} failed: ${(error as Error).message}`,
        { cause: error },
      )
    }
  }

  return {
    name: 'stripe',
    async createCheckout(input) {
      const checkout = parseInput(checkoutInputSchema, input)
      const session = await call('checkout', () =>
        stripe.checkout.sessions.create({
          mode: 'subscription',
          line_items: [{ price: checkout.priceId, quantity: checkout.quantity }],
          customer_email: checkout.customerEmail,
          success_url: checkout.successUrl,
          cancel_url: checkout.cancelUrl,
          client_reference_id: checkout.organizationId,
          metadata: { organization_id: checkout.organizationId },
          subscription_data: { metadata: { organization_id: checkout.organizationId } },
        }),
      )
      if (!session.url)
        throw new BillingError('provider_error', 'Stripe returned a checkout session without a URL')
      return { url: session.url, id: session.id }
    },
    async createPortalSession(input) {
      const portal = parseInput(portalInputSchema, input)
      const customer = await options.lookupCustomer(portal.organizationId)
      if (!customer) {
        throw new BillingError(
          'no_customer',
          'This organization has no Stripe customer yet; start a checkout first.',
        )
      }
      const session = await call('portal', () =>
        stripe.billingPortal.sessions.create({ customer, return_url: portal.returnUrl }),
      )
      return { url: session.url }
    },
    async parseWebhook(rawBody, headers) {
      const signature = headers.get('stripe-signature')
      if (!signature) throw new BillingError('invalid_signature', 'Missing Stripe-Signature header')
      let event: Stripe.Event
      try {
        // Stripe's own verification: HMAC-SHA256, constant-time comparison, timestamp tolerance.
        event = await stripe.webhooks.constructEventAsync(rawBody, signature, options.webhookSecret)
      } catch (error) {
        throw new BillingError(
          'invalid_signature',
          `Invalid Stripe signature: ${(error as Error).message}`,
        )
      }
      return normalizeEvent(event)
    },
    getSubscription: async (id) =>
      normalizeSubscription(
        await call('subscription lookup', () => stripe.subscriptions.retrieve(id)),
      ),
    async cancelSubscription(id, cancel = {}) {
      const subscription = await call('cancel', () =>
        cancel.atPeriodEnd === false
          ? stripe.subscriptions.cancel(id)
          : stripe.subscriptions.update(id, { cancel_at_period_end: true }),
      )
      return normalizeSubscription(subscription)
    },
    async updateSeats(id, quantity) {
      if (!Number.isInteger(quantity) || quantity < 1)
        throw new BillingError('invalid_input', 'quantity must be a positive integer')
      const current = await call('subscription lookup', () => stripe.subscriptions.retrieve(id))
      const item = current.items.data[0]
      if (!item) throw new BillingError('provider_error', `Stripe subscription ${id} has no items`)
      const updated = await call('seat update', () =>
        stripe.subscriptions.update(id, {
          items: [{ id: item.id, quantity }],
          proration_behavior: 'create_prorations',
        }),
      )
      return normalizeSubscription(updated)
    },
  }
}

const SUBSCRIPTION_EVENTS = new Set([
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
])

function normalizeSubscription(subscription: Stripe.Subscription): NormalizedSubscription {
  const item = subscription.items?.data?.[0]
  const periodEnd =
    (subscription as unknown as { current_period_end?: number }).current_period_end ??
    (item as unknown as { current_period_end?: number } | undefined)?.current_period_end
  return {
    id: subscription.id,
    status: mapStatus(stripeStatuses, subscription.status),
    priceId: item?.price?.id ?? null,
    quantity: item?.quantity ?? 1,
    currentPeriodEnd: periodEnd ? new Date(periodEnd * 1000).toISOString() : null,
    cancelAtPeriodEnd: subscription.cancel_at_period_end ?? false,
    organizationId: subscription.metadata?.organization_id ?? null,
    customerId:
      typeof subscription.customer === 'string'
        ? subscription.customer
        : (subscription.customer?.id ?? null),
  }
}

function normalizeEvent(event: Stripe.Event): BillingEvent {
  const base = {
    provider: 'stripe' as const,
    eventId: event.id,
    type: event.type,
    occurredAt: new Date(event.created * 1000).toISOString(),
  }
  if (SUBSCRIPTION_EVENTS.has(event.type)) {
    const subscription = normalizeSubscription(event.data.object as Stripe.Subscription)
    return {
      ...base,
      organizationId: subscription.organizationId,
      customer: subscription.customerId ? { id: subscription.customerId, email: null } : null,
      subscription,
    }
  }
  if (event.type === 'checkout.session.completed') {
    const session = event.data.object as Stripe.Checkout.Session
    const customer =
      typeof session.customer === 'string' ? session.customer : (session.customer?.id ?? null)
    return {
      ...base,
      organizationId: session.metadata?.organization_id ?? session.client_reference_id ?? null,
      customer: customer
        ? { id: customer, email: session.customer_details?.email ?? session.customer_email ?? null }
        : null,
      subscription: null,
    }
  }
  return { ...base, organizationId: null, customer: null, subscription: null }
}
