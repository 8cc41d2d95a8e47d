import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLemonSqueezyProvider } from '#src/lemon-squeezy/create-lemon-squeezy-provider.ts'
import {
  lemonSqueezySignature,
  lemonSqueezySubscription,
} from '#src/lemon-squeezy/test-payloads.ts'

// The SDK calls the global fetch; these tests answer in its place and record what it sent.
const ORG = '3f0c6a3e-1b7d-4c55-9a1e-5d2f8b9c0a11'
type Seen = { method: string; url: string; body: unknown; auth: string | null }
let seen: Seen[] = []
const realFetch = globalThis.fetch
const lsSubscription = (quantity: number, status = 'active') =>
  lemonSqueezySubscription({ quantity, status })

beforeEach(() => {
  seen = []
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input)
    seen.push({
      method: init?.method ?? 'GET',
      url,
      body: init?.body ? JSON.parse(String(init.body)) : null,
      auth: new Headers(init?.headers).get('authorization'),
    })
    const json = (value: unknown) =>
      new Response(JSON.stringify(value), {
        status: 200,
        headers: { 'content-type': 'application/vnd.api+json' },
      })
    if (url.endsWith('/v1/checkouts'))
      return json({
        data: {
          id: 'chk_1',
          type: 'checkouts',
          attributes: { url: 'https://acme.lemonsqueezy.test/checkout/chk_1' },
        },
      })
    if (url.endsWith('/v1/customers/42'))
      return json({
        data: {
          id: '42',
          attributes: { urls: { customer_portal: 'https://acme.lemonsqueezy.test/billing' } },
        },
      })
    if (url.endsWith('/v1/subscriptions/77'))
      return json(lsSubscription(seen.some((s) => s.method === 'PATCH') ? 6 : 2))
    if (url.endsWith('/v1/subscription-items/901'))
      return json({ data: { id: '901', attributes: { quantity: 6 } } })
    return new Response(JSON.stringify({ errors: [{ detail: 'not found' }] }), { status: 404 })
  }) as typeof fetch
})
afterEach(() => {
  globalThis.fetch = realFetch
})

const provider = () =>
  createLemonSqueezyProvider({
    apiKey: 'ls_test_key',
    storeId: '12',
    webhookSecret: 'ls-secret',
    lookupCustomer: async () => '42',
  })

describe('Lemon Squeezy provider', () => {
  it('creates a checkout with the organization in the custom data', async () => {
    const result = await provider().createCheckout({
      organizationId: ORG,
      priceId: '555',
      quantity: 3,
      customerEmail: 'billing@acme.test',
      successUrl: 'https://app.test/billing?ok=1',
      cancelUrl: 'https://app.test/billing',
    })
    expect(result).toEqual({ url: 'https://acme.lemonsqueezy.test/checkout/chk_1', id: 'chk_1' })
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: 'https://api.lemonsqueezy.com/v1/checkouts',
      auth: 'Bearer ls_test_key',
    })
    expect(seen[0]?.body).toEqual({
      data: {
        type: 'checkouts',
        attributes: {
          product_options: { redirect_url: 'https://app.test/billing?ok=1' },
          checkout_data: {
            email: 'billing@acme.test',
            custom: { organization_id: ORG },
            variant_quantities: [{ variant_id: 555, quantity: 3 }],
          },
        },
        relationships: {
          store: { data: { type: 'stores', id: '12' } },
          variant: { data: { type: 'variants', id: '555' } },
        },
      },
    })
  })

  it('opens the customer portal and updates seats on the subscription item', async () => {
    expect(
      await provider().createPortalSession({
        organizationId: ORG,
        returnUrl: 'https://app.test/billing',
      }),
    ).toEqual({
      url: 'https://acme.lemonsqueezy.test/billing',
    })
    const updated = await provider().updateSeats('77', 6)
    expect(updated).toMatchObject({
      quantity: 6,
      status: 'active',
      currentPeriodEnd: '2030-01-01T00:00:00.000000Z',
    })
    const patch = seen.find((s) => s.method === 'PATCH')
    expect(patch).toMatchObject({ url: 'https://api.lemonsqueezy.com/v1/subscription-items/901' })
    expect(patch?.body).toEqual({
      data: {
        type: 'subscription-items',
        id: '901',
        attributes: { quantity: 6, invoice_immediately: false, disable_prorations: false },
      },
    })
  })

  it('verifies the HMAC-SHA256 signature in constant time and maps statuses', async () => {
    const body = JSON.stringify({
      meta: { event_name: 'subscription_updated', custom_data: { organization_id: ORG } },
      ...lsSubscription(5, 'on_trial'),
    })
    const signature = lemonSqueezySignature(body, 'ls-secret')
    const event = await provider().parseWebhook(body, new Headers({ 'x-signature': signature }))
    expect(event).toMatchObject({
      provider: 'lemon_squeezy',
      type: 'subscription_updated',
      organizationId: ORG,
      customer: { id: '42', email: 'billing@acme.test' },
      subscription: {
        id: '77',
        status: 'trialing',
        quantity: 5,
        priceId: '555',
        organizationId: ORG,
      },
    })
    await expect(
      provider().parseWebhook(
        body.replace('"quantity":5', '"quantity":50'),
        new Headers({ 'x-signature': signature }),
      ),
    ).rejects.toMatchObject({
      code: 'invalid_signature',
    })
    await expect(
      provider().parseWebhook(body, new Headers({ 'x-signature': 'abc' })),
    ).rejects.toMatchObject({ code: 'invalid_signature' })
  })
})
