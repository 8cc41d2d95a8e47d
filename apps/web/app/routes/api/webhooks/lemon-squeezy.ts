import type { ActionFunctionArgs } from '@remix-run/node'
import { receiveWebhook, webhookMethodNotAllowed } from '#app/lib/webhooks.server.ts'

/** POST /api/webhooks/lemon-squeezy: Lemon Squeezy's events (LEMON_SQUEEZY_WEBHOOK_SECRET). */
export const action = ({ request }: ActionFunctionArgs) => receiveWebhook(request, 'lemon_squeezy')
export const loader = () => webhookMethodNotAllowed()
