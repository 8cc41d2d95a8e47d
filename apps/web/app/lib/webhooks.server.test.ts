import { createHmac } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'

// The Lemon Squeezy route as a deployment configured for it sees it (the e2e suite runs Stripe).
beforeAll(() => {
  Object.assign(process.env, {
    SUPABASE_URL: 'http://127.0.0.1:9',
    SUPABASE_ANON_KEY: 'anon-key-anon-key-anon-key',
    SUPABASE_SERVICE_ROLE_KEY: 'service-key-service-key-service',
    APP_URL: 'http://127.0.0.1:5173',
    SMTP_URL: 'smtp://127.0.0.1:54325',
    MAIL_FROM: 'Tenantbase <no-reply@tenantbase.local>',
    BILLING_PROVIDER: 'lemon_squeezy',
    LEMON_SQUEEZY_API_KEY: 'ls_test_key_123',
    LEMON_SQUEEZY_STORE_ID: '42',
    LEMON_SQUEEZY_WEBHOOK_SECRET: 'ls-secret',
  })
})

const post = (body: string, headers: Record<string, string> = {}) =>
  new Request('http://127.0.0.1:5173/api/webhooks/lemon-squeezy', {
    method: 'POST',
    headers,
    body,
  })

describe('billing webhook routes', () => {
  it('refuses a Lemon Squeezy event with a bad or missing signature with 400, before storing anything', async () => {
    const { receiveWebhook } = await import('#app/lib/webhooks.server.ts')
    const body = JSON.stringify({ meta: { event_name: 'subscription_updated' }, data: {} })
    const forged = createHmac('sha256', 'not-the-secret').update(body).digest('hex')
    const bad = await receiveWebhook(post(body, { 'x-signature': forged }), 'lemon_squeezy')
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ received: false })
    const missing = await receiveWebhook(post(body), 'lemon_squeezy')
    expect(missing.status).toBe(400)
  })

  it('answers 404 for the provider this deployment does not use, and 405 to other methods', async () => {
    const { receiveWebhook, webhookMethodNotAllowed } = await import('#app/lib/webhooks.server.ts')
    const other = await receiveWebhook(post('{}'), 'stripe')
    expect(other.status).toBe(404)
    expect(await other.json()).toEqual({
      received: false,
      error: 'Stripe is not the billing provider here',
    })
    const put = await receiveWebhook(
      new Request('http://127.0.0.1:5173/api/webhooks/lemon-squeezy', {
        method: 'PUT',
        body: '{}',
      }),
      'lemon_squeezy',
    )
    expect(put.status).toBe(405)
    expect(webhookMethodNotAllowed().headers.get('allow')).toBe('POST')
  })
})
