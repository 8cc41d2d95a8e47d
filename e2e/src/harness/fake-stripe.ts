import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A local stand-in for api.stripe.com and its hosted pages, for the app under test only (the app
 * gets its URL as STRIPE_API_URL; the official SDK sends its requests here). It answers the few
 * API calls the app makes — checkout sessions, portal sessions, subscription reads and seat
 * updates — records every request, and serves a checkout page whose "Pay" button creates the
 * subscription and returns to the app, as Stripe's hosted checkout does. It sends no webhooks:
 * specs sign and deliver those themselves, with Stripe's real signature scheme.
 */

export type StripeRequest = { method: string; path: string; body: Record<string, string> }
export type FakeSubscription = {
  id: string
  object: 'subscription'
  status: string
  customer: string
  cancel_at_period_end: boolean
  metadata: Record<string, string>
  items: {
    object: 'list'
    data: Array<{
      id: string
      object: 'subscription_item'
      quantity: number
      current_period_end: number
      price: { id: string; object: 'price' }
    }>
  }
}
type Session = {
  id: string
  url: string
  successUrl: string
  cancelUrl: string
  priceId: string
  quantity: number
  metadata: Record<string, string>
  customerEmail: string | null
  subscriptionId: string | null
}
export type FakeStripeState = {
  requests: StripeRequest[]
  sessions: Session[]
  subscriptions: FakeSubscription[]
}

export type FakeStripe = { url: string; close(): Promise<void> }

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:system-ui;max-width:28rem;margin:4rem auto;padding:0 1rem">
<main><h1>${title}</h1>${body}</main></body></html>`

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c,
  )

export async function startFakeStripe(port = 0): Promise<FakeStripe> {
  const state: FakeStripeState = { requests: [], sessions: [], subscriptions: [] }
  let sequence = 0
  const next = (prefix: string) => `${prefix}_e2e_${++sequence}`
  let base = ''

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  const html = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
    res.end(body)
  }
  const subscriptionFromSession = (session: Session): FakeSubscription => ({
    id: next('sub'),
    object: 'subscription',
    status: 'active',
    customer: next('cus'),
    cancel_at_period_end: false,
    metadata: session.metadata,
    items: {
      object: 'list',
      data: [
        {
          id: next('si'),
          object: 'subscription_item',
          quantity: session.quantity,
          current_period_end: Math.floor(Date.now() / 1000) + 30 * 24 * 3600,
          price: { id: session.priceId, object: 'price' },
        },
      ],
    },
  })

  async function handle(req: IncomingMessage, res: ServerResponse) {
    let raw = ''
    for await (const chunk of req) raw += chunk
    const url = new URL(req.url ?? '/', base)
    const path = url.pathname
    const body = Object.fromEntries(new URLSearchParams(raw))

    // The spec's window into what the app asked for.
    if (path === '/__state') return json(res, 200, state)

    // Hosted pages (a browser follows the URLs the API returned).
    const checkoutPage = /^\/checkout\/([\w]+)$/.exec(path)
    if (checkoutPage) {
      const session = state.sessions.find((s) => s.id === checkoutPage[1])
      if (!session) return html(res, 404, page('Not found', '<p>No such checkout.</p>'))
      if (req.method === 'POST') {
        const subscription = subscriptionFromSession(session)
        state.subscriptions.push(subscription)
        session.subscriptionId = subscription.id
        res.writeHead(303, { location: session.successUrl })
        return res.end()
      }
      return html(
        res,
        200,
        page(
          'Test checkout',
          `<p>${session.quantity} × ${escapeHtml(session.priceId)}</p>
<form method="post"><button type="submit">Pay</button></form>
<p><a href="${escapeHtml(session.cancelUrl)}">Cancel</a></p>`,
        ),
      )
    }
    const portalPage = /^\/portal\/([\w]+)$/.exec(path)
    if (portalPage) {
      const returnUrl = url.searchParams.get('return') ?? '/'
      return html(
        res,
        200,
        page(
          'Test billing portal',
          `<p><a href="${escapeHtml(returnUrl)}">Return to the app</a></p>`,
        ),
      )
    }

    if (!path.startsWith('/v1/')) {
      // Browsers ask for /favicon.ico and the like: not API calls.
      res.writeHead(204)
      return res.end()
    }

    // The API.
    state.requests.push({ method: req.method ?? '', path, body })
    if (req.headers.authorization !== 'Bearer sk_test_e2e') {
      return json(res, 401, {
        error: { type: 'invalid_request_error', message: 'Invalid API Key' },
      })
    }
    if (path === '/v1/checkout/sessions' && req.method === 'POST') {
      const id = next('cs')
      const metadata: Record<string, string> = {}
      for (const [key, value] of Object.entries(body)) {
        const match = /^subscription_data\[metadata\]\[(.+)\]$/.exec(key)
        if (match?.[1]) metadata[match[1]] = value
      }
      const session: Session = {
        id,
        url: `${base}/checkout/${id}`,
        successUrl: body.success_url ?? '/',
        cancelUrl: body.cancel_url ?? '/',
        priceId: body['line_items[0][price]'] ?? '',
        quantity: Number(body['line_items[0][quantity]'] ?? 1),
        metadata,
        customerEmail: body.customer_email ?? null,
        subscriptionId: null,
      }
      state.sessions.push(session)
      return json(res, 200, { id, object: 'checkout.session', url: session.url })
    }
    if (path === '/v1/billing_portal/sessions' && req.method === 'POST') {
      const id = next('bps')
      const returnUrl = encodeURIComponent(body.return_url ?? '/')
      return json(res, 200, {
        id,
        object: 'billing_portal.session',
        url: `${base}/portal/${id}?return=${returnUrl}`,
      })
    }
    const subscriptionPath = /^\/v1\/subscriptions\/([\w]+)$/.exec(path)
    if (subscriptionPath) {
      const subscription = state.subscriptions.find((s) => s.id === subscriptionPath[1])
      if (!subscription) {
        return json(res, 404, {
          error: {
            type: 'invalid_request_error',
            message: `No such subscription: '${subscriptionPath[1]}'`,
          },
        })
      }
      if (req.method === 'POST') {
        const quantity = body['items[0][quantity]']
        const item = subscription.items.data.find((i) => i.id === body['items[0][id]'])
        if (item && quantity) item.quantity = Number(quantity)
      }
      return json(res, 200, subscription)
    }
    return json(res, 404, {
      error: {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${req.method}: ${path})`,
      },
    })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => json(res, 500, { error: { message: error.message } }))
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: base,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
