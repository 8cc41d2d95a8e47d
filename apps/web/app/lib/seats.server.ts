import { BillingError, syncSeats } from '@tenantbase/billing'
import { billing } from '#app/lib/billing.server.ts'

/**
 * Brings the provider's seat quantity in step with the organization's member count, after a
 * member joined or left. The membership change has happened already, so a provider that does
 * not answer must not undo or fail it: the problem is logged and the next change (or the
 * provider's own retry) catches up.
 */
export async function keepSeatsInStep(organizationId: string): Promise<void> {
  const configured = billing()
  if (!configured) return
  try {
    await syncSeats(configured.provider, configured.store, organizationId)
  } catch (error) {
    if (!(error instanceof BillingError)) throw error
    console.error(`Seat sync for organization ${organizationId} failed: ${error.message}`)
  }
}
