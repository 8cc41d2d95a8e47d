import { handleBillingWebhook } from '@tenantbase/billing'
import { billing, providerLabel } from '#app/lib/billing.server.ts'

type ProviderName = 'stripe' | 'lemon_squeezy'

/**
 * A provider's webhook delivery: the raw body and headers go to handleBillingWebhook, which
 * verifies the signature and applies the event through the service key; its status is the
 * answer (400 bad signature, 200 applied / duplicate / stale / ignored, 500 so the provider
 * retries). A provider this deployment does not use gets 404.
 */
export async function receiveWebhook(request: Request, name: ProviderName): Promise<Response> {
  if (request.method !== 'POST') return webhookMethodNotAllowed()
  const configured = billing()
  if (!configured || configured.provider.name !== name) {
    return Response.json(
      { received: false, error: `${providerLabel(name)} is not the billing provider here` },
      { status: 404 },
    )
  }
  const result = await handleBillingWebhook(configured.provider, request, configured.store)
  if (result.status >= 500) console.error(`${providerLabel(name)} webhook: ${result.body.error}`)
  return Response.json(result.body, { status: result.status })
}

/** GET and other methods on a webhook URL. */
export function webhookMethodNotAllowed(): Response {
  return Response.json(
    { received: false, error: 'Webhooks are delivered with POST' },
    { status: 405, headers: { allow: 'POST' } },
  )
}
