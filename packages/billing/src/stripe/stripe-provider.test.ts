import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Stripe from 'stripe'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BillingError } from '#src/billing-provider.ts'
import { createBillingProvider } from '#src/create-billing-provider.ts'
import { readBillingEnv } from '#src/env.ts'
import { createStripeProvider } from '#src/stripe/create-stripe-provider.ts'

// A local stand-in for api.stripe.com: records each request and answers with fixtures.
type Seen = { method: string; path: string; body: URLSearchParams }
let server: Server
let seen: Seen[] = []
const ORG = '3f0c6a3e-1b7d-4c55-9a1e-5d2f8b9c0a11'
const subscription = (quantity: number, extra: Record<string, unknown> = {}) => ({
  id: 'sub_123',
  object: 'subscription',
  status: 'active',
  customer: 'cus_9',
  cancel_at_period_end: false,
  metadata: { organization_id: ORG },
  items: {
    object: 'list',
    data: [{ id: 'si_1', quantity, current_period_end: 1_900_000_000, price: { id: 'price_pro' } }],
  },
  ...extra,
})

beforeAll(async () => {
  server = createServer(async (req: IncomingMessage, res) => {
    let raw = ''
    for await (const chunk of req) raw += chunk
    const path = (req.url ?? '').split('?')[0] ?? ''
    seen.push({ method: req.method ?? '', path, body: new URLSearchParams(raw) })
    res.setHeader('content-type', 'application/json')
    if (path === '/v1/checkout/sessions')
      return res.end(
        JSON.stringify({
          id: 'cs_1',
          object: 'checkout.session',
          url: 'https://checkout.stripe.test/cs_1',
        }),
      )
    if (path === '/v1/billing_portal/sessions')
      return res.end(JSON.stringify({ id: 'bps_1', url: 'https://billing.stripe.test/p/1' }))
    if (path === '/v1/subscriptions/sub_123' && req.method === 'GET')
      return res.end(JSON.stringify(subscription(2)))
    if (path === '/v1/subscriptions/sub_123' && req.method === 'POST') {
      const quantity = Number(new URLSearchParams(raw).get('items[0][quantity]') ?? 2)
      return res.end(
        JSON.stringify(
          subscription(quantity, {
            cancel_at_period_end: new URLSearchParams(raw).get('cancel_at_period_end') === 'true',
          }),
        ),
      )
    }
    res.statusCode = 404
    res.end(
      JSON.stringify({
        error: { type: 'invalid_request_error', message: `No such route ${path}` },
      }),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
beforeEach(() => {
  seen = []
})

const provider = (lookup = async () => 'cus_9' as string | undefined) =>
  createStripeProvider({
    secretKey: 'sk_test_123',
    webhookSecret: 'whsec_test',
    lookupCustomer: lookup,
    client: { host: '127.0.0.1', port: (server.address() as AddressInfo).port, protocol: 'http' },
  })

describe('Stripe provider', () => {
  it('creates a checkout carrying the organization in the subscription metadata', async () => {
    const result = await provider().createCheckout({
      organizationId: ORG,
      priceId: 'price_pro',
      quantity: 3,
      customerEmail: 'billing@acme.test',
      successUrl: 'https://app.test/billing?ok=1',
      cancelUrl: 'https://app.test/billing',
    })
    expect(result).toEqual({ url: 'https://checkout.stripe.test/cs_1', id: 'cs_1' })
    expect(seen).toHaveLength(1)
    const body = Object.fromEntries(seen[0]?.body ?? [])
    expect(body).toMatchObject({
      mode: 'subscription',
      'line_items[0][price]': 'price_pro',
      'line_items[0][quantity]': '3',
      customer_email: 'billing@acme.test',
      success_url: 'https://app.test/billing?ok=1',
      cancel_url: 'https://app.test/billing',
      client_reference_id: ORG,
      'subscription_data[metadata][organization_id]': ORG,
    })
  })

  it('refuses invalid checkout input before calling Stripe', async () => {
    await expect(
      provider().createCheckout({
        organizationId: 'nope',
        priceId: '',
        quantity: 0,
        successUrl: 'x',
        cancelUrl: 'y',
      }),
    ).rejects.toMatchObject({ code: 'invalid_input' })
    expect(seen).toEqual([])
  })

  it("opens the portal for the organization's customer, and says so when there is none", async () => {
    expect(
      await provider().createPortalSession({
        organizationId: ORG,
        returnUrl: 'https://app.test/billing',
      }),
    ).toEqual({
      url: 'https://billing.stripe.test/p/1',
    })
    expect(Object.fromEntries(seen[0]?.body ?? [])).toEqual({
      customer: 'cus_9',
      return_url: 'https://app.test/billing',
    })
    await expect(
      provider(async () => undefined).createPortalSession({
        organizationId: ORG,
        returnUrl: 'https://app.test/billing',
      }),
    ).rejects.toMatchObject({ code: 'no_customer' })
  })

  it('updates seats on the subscription item with prorations, and cancels at period end', async () => {
    const updated = await provider().updateSeats('sub_123', 7)
    expect(updated).toMatchObject({
      quantity: 7,
      organizationId: ORG,
      status: 'active',
      priceId: 'price_pro',
    })
    expect(Object.fromEntries(seen[1]?.body ?? [])).toEqual({
      'items[0][id]': 'si_1',
      'items[0][quantity]': '7',
      proration_behavior: 'create_prorations',
    })
    const cancelled = await provider().cancelSubscription('sub_123')
    expect(cancelled.cancelAtPeriodEnd).toBe(true)
  })

  it("verifies webhook signatures with Stripe's scheme and normalizes subscription events", async () => {
    const payload = JSON.stringify({
      id: 'evt_1',
      object: 'event',
      type: 'customer.subscription.updated',
      created: 1_800_000_000,
      data: { object: subscription(4, { status: 'past_due' }) },
    })
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_test' })
    const event = await provider().parseWebhook(
      payload,
      new Headers({ 'stripe-signature': header }),
    )
    expect(event).toEqual({
      provider: 'stripe',
      eventId: 'evt_1',
      type: 'customer.subscription.updated',
      occurredAt: new Date(1_800_000_000_000).toISOString(),
      organizationId: ORG,
      customer: { id: 'cus_9', email: null },
      subscription: {
        id: 'sub_123',
        status: 'past_due',
        priceId: 'price_pro',
        quantity: 4,
        currentPeriodEnd: new Date(1_900_000_000_000).toISOString(),
        cancelAtPeriodEnd: false,
        organizationId: ORG,
        customerId: 'cus_9',
      },
    })
    const tampered = payload.replace('"quantity":4', '"quantity":400')
    await expect(
      provider().parseWebhook(tampered, new Headers({ 'stripe-signature': header })),
    ).rejects.toBeInstanceOf(BillingError)
    await expect(provider().parseWebhook(payload, new Headers())).rejects.toMatchObject({
      code: 'invalid_signature',
    })
  })

  it('is configured from env, with STRIPE_API_URL sending API calls elsewhere', async () => {
    const env = readBillingEnv({
      BILLING_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_env',
      STRIPE_WEBHOOK_SECRET: 'whsec_env',
      STRIPE_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    })
    const store = {
      applyEvent: async () => 'ignored',
      findCustomer: async () => 'cus_from_store',
      seatState: async () => null,
    }
    const billing = createBillingProvider(env, store)
    expect(
      await billing.createPortalSession({ organizationId: ORG, returnUrl: 'https://app.test/b' }),
    ).toEqual({ url: 'https://billing.stripe.test/p/1' })
    expect(seen.map((s) => [s.path, Object.fromEntries(s.body)])).toEqual([
      [
        '/v1/billing_portal/sessions',
        { customer: 'cus_from_store', return_url: 'https://app.test/b' },
      ],
    ])
    expect(() => readBillingEnv({ BILLING_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'nope' })).toThrow(
      'Invalid billing environment: STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET',
    )
  })
})
