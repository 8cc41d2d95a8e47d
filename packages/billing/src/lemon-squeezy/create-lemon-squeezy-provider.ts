import { createHmac, timingSafeEqual } from 'node:crypto'
import {
  cancelSubscription,
  createCheckout,
  getCustomer,
  getSubscription,
  lemonSqueezySetup,
  updateSubscriptionItem,
} from '@lemonsqueezy/lemonsqueezy.js'
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
import { lemonSqueezyStatuses, mapStatus } from '#src/statuses.ts'

export type LemonSqueezyProviderOptions = {
  apiKey: string
  storeId: string
  webhookSecret: string
  lookupCustomer: CustomerLookup
}

type LsSubscription = {
  id: string
  attributes: {
    status: string
    variant_id: number
    customer_id: number
    user_email?: string
    renews_at: string | null
    ends_at: string | null
    cancelled: boolean
    first_subscription_item?: { id: number; quantity: number } | null
    urls?: { customer_portal?: string }
  }
}

/** Lemon Squeezy through the official SDK. The organization id rides in the checkout's custom data. */
export function createLemonSqueezyProvider(options: LemonSqueezyProviderOptions): BillingProvider {
  lemonSqueezySetup({ apiKey: options.apiKey })

  const call = async <T>(
    what: string,
    fn: () => Promise<{ data: T | null; error: Error | null }>,
  ): Promise<T> => {
    const { data, error } = await fn()
    if (error || !data) {
      throw new BillingError(
        'provider_error',
        `Lemon Squeezy ${what} failed: ${error?.message ?? 'no data'}`,
        { cause: error },
      )
    }
    return data
  }

  const subscription = async (id: string, organizationId: string | null = null) =>
    normalize(
      (await call('subscription lookup', () => getSubscription(id))) as unknown as {
        data: LsSubscription
      },
      organizationId,
    )

  return {
    name: 'lemon_squeezy',
    async createCheckout(input) {
      const checkout = parseInput(checkoutInputSchema, input)
      const created = await call('checkout', () =>
        createCheckout(options.storeId, checkout.priceId, {
          checkoutData: {
            email: checkout.customerEmail,
            custom: { organization_id: checkout.organizationId },
            variantQuantities: [
              { variantId: Number(checkout.priceId), quantity: checkout.quantity },
            ],
          },
          productOptions: { redirectUrl: checkout.successUrl },
        }),
      )
      const data = (created as unknown as { data: { id: string; attributes: { url: string } } })
        .data
      return { url: data.attributes.url, id: data.id }
    },
    async createPortalSession(input) {
      const portal = parseInput(portalInputSchema, input)
      const customer = await options.lookupCustomer(portal.organizationId)
      if (!customer) {
        throw new BillingError(
          'no_customer',
          'This organization has no Lemon Squeezy customer yet; start a checkout first.',
        )
      }
      const found = (await call('customer lookup', () => getCustomer(customer))) as unknown as {
        data: { attributes: { urls: { customer_portal: string } } }
      }
      return { url: found.data.attributes.urls.customer_portal }
    },
    async parseWebhook(rawBody, headers) {
      const signature = headers.get('x-signature') ?? ''
      const expected = createHmac('sha256', options.webhookSecret).update(rawBody).digest()
      const given = Buffer.from(signature, 'hex')
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new BillingError('invalid_signature', 'Invalid Lemon Squeezy signature')
      }
      let payload: {
        meta: {
          event_name: string
          custom_data?: { organization_id?: string }
          webhook_id?: string
        }
        data: LsSubscription & { type: string }
      }
      try {
        payload = JSON.parse(rawBody)
      } catch {
        throw new BillingError('invalid_input', 'The webhook body is not JSON')
      }
      return normalizeEvent(payload)
    },
    getSubscription: (id) => subscription(id),
    async cancelSubscription(id, cancel = {}) {
      if (cancel.atPeriodEnd === false) {
        throw new BillingError(
          'invalid_input',
          'Lemon Squeezy cancels at the end of the period only',
        )
      }
      return normalize(
        (await call('cancel', () => cancelSubscription(id))) as unknown as { data: LsSubscription },
        null,
      )
    },
    async updateSeats(id, quantity) {
      if (!Number.isInteger(quantity) || quantity < 1)
        throw new BillingError('invalid_input', 'quantity must be a positive integer')
      const current = await call('subscription lookup', () => getSubscription(id))
      const item = (current as unknown as { data: LsSubscription }).data.attributes
        .first_subscription_item
      if (!item)
        throw new BillingError('provider_error', `Lemon Squeezy subscription ${id} has no item`)
      await call('seat update', () =>
        updateSubscriptionItem(item.id, {
          quantity,
          invoiceImmediately: false,
          disableProrations: false,
        }),
      )
      return subscription(id)
    },
  }
}

const SUBSCRIPTION_EVENTS = new Set([
  'subscription_created',
  'subscription_updated',
  'subscription_cancelled',
  'subscription_resumed',
  'subscription_expired',
  'subscription_paused',
  'subscription_unpaused',
])

function normalize(
  payload: { data: LsSubscription },
  organizationId: string | null,
): NormalizedSubscription {
  const a = payload.data.attributes
  return {
    id: String(payload.data.id),
    status: mapStatus(lemonSqueezyStatuses, a.status),
    priceId: a.variant_id ? String(a.variant_id) : null,
    quantity: a.first_subscription_item?.quantity ?? 1,
    // The period ends at the renewal date, or at ends_at once cancelled.
    currentPeriodEnd: a.renews_at ?? a.ends_at ?? null,
    cancelAtPeriodEnd: a.cancelled === true,
    organizationId,
    customerId: a.customer_id ? String(a.customer_id) : null,
  }
}

function normalizeEvent(payload: {
  meta: { event_name: string; custom_data?: { organization_id?: string } }
  data: LsSubscription & { type: string }
}): BillingEvent {
  const organizationId = payload.meta.custom_data?.organization_id ?? null
  const attributes = payload.data.attributes as LsSubscription['attributes'] & {
    updated_at?: string
    created_at?: string
  }
  // Lemon Squeezy sends no event id: the resource, event name and its update time identify it.
  const occurredAt = attributes.updated_at ?? attributes.created_at ?? new Date().toISOString()
  const base = {
    provider: 'lemon_squeezy' as const,
    eventId: `${payload.meta.event_name}:${payload.data.type}:${payload.data.id}:${occurredAt}`,
    type: payload.meta.event_name,
    occurredAt,
    organizationId,
  }
  if (SUBSCRIPTION_EVENTS.has(payload.meta.event_name) && payload.data.type === 'subscriptions') {
    const subscription = normalize({ data: payload.data }, organizationId)
    return {
      ...base,
      customer: subscription.customerId
        ? { id: subscription.customerId, email: attributes.user_email ?? null }
        : null,
      subscription,
    }
  }
  return { ...base, customer: null, subscription: null }
}
