import type { SubscriptionStatus } from '#src/billing-provider.ts'

/** Stripe subscription statuses → the shared set. */
export const stripeStatuses: Record<string, SubscriptionStatus> = {
  trialing: 'trialing',
  active: 'active',
  past_due: 'past_due',
  paused: 'paused',
  canceled: 'canceled',
  unpaid: 'unpaid',
  incomplete: 'incomplete',
  incomplete_expired: 'expired',
}

/** Lemon Squeezy subscription statuses → the shared set. */
export const lemonSqueezyStatuses: Record<string, SubscriptionStatus> = {
  on_trial: 'trialing',
  active: 'active',
  paused: 'paused',
  past_due: 'past_due',
  unpaid: 'unpaid',
  cancelled: 'canceled',
  expired: 'expired',
}

/** An unknown status never passes as "active": it is treated as incomplete. */
export function mapStatus(
  table: Record<string, SubscriptionStatus>,
  status: string,
): SubscriptionStatus {
  return table[status] ?? 'incomplete'
}
