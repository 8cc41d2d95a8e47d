import type { ActionFunctionArgs } from '@remix-run/node'
import { receiveWebhook, webhookMethodNotAllowed } from '#app/lib/webhooks.server.ts'

/** POST /api/webhooks/stripe: Stripe's events (signed with STRIPE_WEBHOOK_SECRET). */
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, 'stripe')
export const loader = () => webhookMethodNotAllowed()
