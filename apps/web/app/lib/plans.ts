/**
 * How plans read on screen: prices and features in words. A plan's features are free-form JSON
 * (platform.subscription_products.features); numbers are limits, booleans are included or not.
 */

export type PlanFeature = { key: string; label: string; included: boolean }

const LABELS: Record<string, { limit?: (n: number) => string; flag?: string }> = {
  members: { limit: (n) => `Up to ${n} ${n === 1 ? 'member' : 'members'}` },
  units: { limit: (n) => `Up to ${n} ${n === 1 ? 'unit' : 'units'}` },
  audit_log: { flag: 'Audit log' },
  sso: { flag: 'Single sign-on' },
}

function humanize(key: string): string {
  const words = key.replace(/[_.-]+/g, ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

export function describeFeatures(features: unknown): PlanFeature[] {
  if (!features || typeof features !== 'object' || Array.isArray(features)) return []
  return Object.entries(features as Record<string, unknown>)
    .map(([key, value]): PlanFeature | null => {
      const known = LABELS[key]
      if (typeof value === 'number') {
        return {
          key,
          label: known?.limit ? known.limit(value) : `${humanize(key)}: up to ${value}`,
          included: value > 0,
        }
      }
      if (typeof value === 'boolean') {
        return { key, label: known?.flag ?? humanize(key), included: value }
      }
      if (typeof value === 'string')
        return { key, label: `${humanize(key)}: ${value}`, included: true }
      return null
    })
    .filter((feature): feature is PlanFeature => feature !== null)
}

/** The plan's member limit, or null when it has none. */
export function memberLimit(features: unknown): number | null {
  if (!features || typeof features !== 'object') return null
  const value = (features as Record<string, unknown>).members
  return typeof value === 'number' ? Math.max(0, Math.floor(value)) : null
}

/** "$29" from 2900 (minor units). */
export function formatAmount(amount: number | null | undefined, currency = 'usd'): string {
  return ((amount ?? 0) / 100).toLocaleString('en-US', {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: (amount ?? 0) % 100 === 0 ? 0 : 2,
  })
}

/** "per seat / month", "per year", "once". */
export function priceUnit(interval: string | null | undefined, seatBased: boolean | null): string {
  const period = interval === 'year' ? 'year' : interval === 'one_time' ? null : 'month'
  const seat = seatBased ? 'per seat' : ''
  if (!period) return seat ? `${seat}, once` : 'once'
  return seat ? `${seat} / ${period}` : `per ${period}`
}

/** Subscription statuses in words, with a badge tone. */
export function statusOf(status: string | null | undefined): {
  label: string
  tone: 'green' | 'amber' | 'red' | 'neutral' | 'indigo'
} {
  switch (status) {
    case 'active':
      return { label: 'Active', tone: 'green' }
    case 'trialing':
      return { label: 'Trial', tone: 'indigo' }
    case 'past_due':
      return { label: 'Payment due', tone: 'amber' }
    case 'paused':
      return { label: 'Paused', tone: 'neutral' }
    case 'canceled':
    case 'expired':
      return { label: 'Ended', tone: 'neutral' }
    case 'unpaid':
    case 'incomplete':
      return { label: 'Unpaid', tone: 'red' }
    default:
      return { label: status ? humanize(status) : 'Unknown', tone: 'neutral' }
  }
}
