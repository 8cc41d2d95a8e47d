import type { BillingDb, BillingProvider, NormalizedSubscription } from '#src/billing-provider.ts'

/**
 * Keeps the seat quantity of an organization's live subscription equal to its member count.
 * Call it after a member joins or leaves (accepting an invitation, removing a member); the
 * sample app does so in its member actions. Returns the updated subscription, or null when the
 * organization has no live subscription or the count already matches.
 */
export async function syncSeats(
  provider: BillingProvider,
  db: BillingDb,
  organizationId: string,
): Promise<NormalizedSubscription | null> {
  const { rows } = await db.query(
    `select s.provider_subscription_id, s.quantity, platform.organization_seat_count($1) as members
     from platform.billing_subscriptions s
     where s.organization_id = $1 and s.provider = $2 and s.status in ('trialing', 'active', 'past_due')
     order by s.last_event_at desc limit 1`,
    [organizationId, provider.name],
  )
  const row = rows[0]
  if (!row) return null
  const members = Math.max(1, Number(row.members))
  if (Number(row.quantity) === members) return null
  return provider.updateSeats(String(row.provider_subscription_id), members)
}
