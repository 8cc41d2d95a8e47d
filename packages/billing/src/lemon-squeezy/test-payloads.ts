import { createHmac } from 'node:crypto'

/** For tests: a Lemon Squeezy subscription resource as its API and webhooks send it. */
export function lemonSqueezySubscription(options: {
  quantity: number
  status?: string
  updatedAt?: string
}) {
  const status = options.status ?? 'active'
  return {
    data: {
      type: 'subscriptions',
      id: '77',
      attributes: {
        status,
        variant_id: 555,
        customer_id: 42,
        user_email: 'billing@acme.test',
        renews_at: '2030-01-01T00:00:00.000000Z',
        ends_at: null,
        cancelled: status === 'cancelled',
        first_subscription_item: { id: 901, quantity: options.quantity },
        updated_at: options.updatedAt ?? '2029-01-01T00:00:00.000000Z',
      },
    },
  }
}

/** For tests: the X-Signature Lemon Squeezy sends with a webhook body (HMAC-SHA256, hex). */
export const lemonSqueezySignature = (body: string, secret: string) =>
  createHmac('sha256', secret).update(body).digest('hex')
