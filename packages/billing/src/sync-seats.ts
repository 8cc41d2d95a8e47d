import type { BillingDb, BillingProvider, NormalizedSubscription } from '#src/billing-provider.ts'
import { type BillingStore, toBillingStore } from '#src/billing-store.ts'

/**
 * Keeps the seat quantity of an organization's live subscription equal to its member count.
 * Call it after a member joins or leaves (accepting an invitation, removing a member); the
 * sample app does so in its member actions. Returns the updated subscription, or null when the
 * organization has no live subscription or the provider's count already matches.
 */
export async function syncSeats(
  provider: BillingProvider,
  source: BillingStore | BillingDb,
  organizationId: string,
): Promise<NormalizedSubscription | null> {
  const state = await toBillingStore(source).seatState(organizationId, provider.name)
  if (!state) return null
  const members = Math.max(1, state.seatCount)
  // The stored quantity is the last webhook's: until the provider's event for the previous
  // change arrives it is stale (a removal, then a join before that event, would look in step).
  // The provider's own count decides.
  const live = await provider.getSubscription(state.subscriptionId)
  if (live.quantity === members) return null
  return provider.updateSeats(state.subscriptionId, members)
}
