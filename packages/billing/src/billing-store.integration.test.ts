import { createTestStack, type TestStack } from '@tenantbase/local-supabase/testing'
import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BillingProvider } from '#src/billing-provider.ts'
import { billingStoreFromSupabase } from '#src/billing-store.ts'
import { handleBillingWebhook } from '#src/handle-billing-webhook.ts'
import { createStripeProvider } from '#src/stripe/create-stripe-provider.ts'
import { syncSeats } from '#src/sync-seats.ts'

// The sync through the API with the service key, as an app that holds only SUPABASE_URL and its
// keys runs it: official supabase-js against the local stack.
let stack: TestStack
let orgId: string
const provider = createStripeProvider({
  secretKey: 'sk_test_api',
  webhookSecret: 'whsec_api',
  lookupCustomer: async () => undefined,
})

beforeAll(async () => {
  stack = await createTestStack()
  const [row] = await stack.db
    .as('service_role')
    .query(`select public.provision_tenant('Over the API', 'over-api', 'owner@api.test') as t`)
  orgId = row?.t.organization_id
  const owner = await stack.db.createUser({ email: 'owner@api.test' })
  await stack.db
    .as(owner)
    .query('select * from public.accept_invitation($1)', [row?.t.invitation_token])
  await stack.db.query(
    `insert into platform.subscription_products (provider, provider_price_id, plan, name, amount)
     values ('stripe', 'price_api_pro', 'pro', 'Pro', 2900)`,
  )
})
afterAll(() => stack.close())

const subscriptionEvent = (id: string, created: number, quantity: number) =>
  JSON.stringify({
    id,
    object: 'event',
    type: 'customer.subscription.created',
    created,
    data: {
      object: {
        id: 'sub_over_api',
        object: 'subscription',
        status: 'active',
        customer: 'cus_over_api',
        cancel_at_period_end: false,
        metadata: { organization_id: orgId },
        items: { data: [{ id: 'si_api', quantity, price: { id: 'price_api_pro' } }] },
      },
    },
  })
const deliver = (store: ReturnType<typeof billingStoreFromSupabase>, payload: string) =>
  handleBillingWebhook(
    provider,
    new Request('https://app.test/api/webhooks/stripe', {
      method: 'POST',
      headers: {
        'stripe-signature': Stripe.webhooks.generateTestHeaderString({
          payload,
          secret: 'whsec_api',
        }),
      },
      body: payload,
    }),
    store,
  )

describe('billing store over the API (service key)', () => {
  it('applies a signed webhook, answers a replay as a duplicate, and the plan follows', async () => {
    const store = billingStoreFromSupabase(stack.client(stack.serviceRoleKey))
    const payload = subscriptionEvent('evt_api_1', 1_800_000_000, 3)
    expect(await deliver(store, payload)).toEqual({
      status: 200,
      body: { received: true, outcome: 'applied' },
    })
    expect(await deliver(store, payload)).toEqual({
      status: 200,
      body: { received: true, outcome: 'duplicate' },
    })
    expect(
      await stack.db
        .as('service_role')
        .query('select plan, source, quantity from public.get_organization_plan($1)', [orgId]),
    ).toEqual([{ plan: 'pro', source: 'subscription', quantity: 3 }])
    expect(await store.findCustomer(orgId, 'stripe')).toBe('cus_over_api')
    expect(await store.findCustomer(orgId, 'lemon_squeezy')).toBeUndefined()
  })

  it('brings the seat quantity down to the member count', async () => {
    const store = billingStoreFromSupabase(stack.client(stack.serviceRoleKey))
    expect(await store.seatState(orgId, 'stripe')).toEqual({
      subscriptionId: 'sub_over_api',
      quantity: 3,
      seatCount: 1,
    })
    const calls: Array<[string, number]> = []
    const subscription = (id: string, quantity: number) => ({
      id,
      status: 'active' as const,
      priceId: 'price_api_pro',
      quantity,
      currentPeriodEnd: null,
      cancelAtPeriodEnd: false,
      organizationId: orgId,
      customerId: 'cus_over_api',
    })
    const recording: BillingProvider = {
      ...provider,
      getSubscription: async (id) => subscription(id, 3),
      updateSeats: async (id, quantity) => {
        calls.push([id, quantity])
        return subscription(id, quantity)
      },
    }
    expect(await syncSeats(recording, store, orgId)).toMatchObject({ quantity: 1 })
    expect(calls).toEqual([['sub_over_api', 1]])
  })

  it('cannot store events with the anon key: 500, so the provider retries, and nothing is written', async () => {
    const store = billingStoreFromSupabase(stack.client(stack.anonKey))
    const result = await deliver(store, subscriptionEvent('evt_api_anon', 1_800_000_100, 7))
    expect(result).toEqual({
      status: 500,
      body: {
        received: false,
        error:
          'Could not store the event: billing_apply_event failed: permission denied for function billing_apply_event',
      },
    })
    expect(
      await stack.db.query(
        'select count(*)::int as n from platform.billing_events where event_id = $1',
        ['evt_api_anon'],
      ),
    ).toEqual([{ n: 0 }])
    await expect(store.seatState(orgId, 'stripe')).rejects.toMatchObject({
      code: 'database_error',
      message: 'billing_seat_state failed: permission denied for function billing_seat_state',
    })
  })
})
