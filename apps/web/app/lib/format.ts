/** Dates are shown in UTC on the server and in the browser alike, so hydration matches. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return ''
  return new Date(value).toLocaleDateString('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  })
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return ''
  return `${new Date(value).toLocaleString('en-US', {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: 'UTC',
  })} UTC`
}

export function formatMoney(amount: number | null | undefined): string {
  if (amount === null || amount === undefined) return '—'
  return amount.toLocaleString('en-US', {
    style: 'currency',
    currency: 'USD',
    maximumFractionDigits: 0,
  })
}

/** "Ann Lee", or the email when no name was given. */
export function personName(person: {
  first_name?: string | null
  last_name?: string | null
  email?: string | null
}): string {
  const name = [person.first_name, person.last_name].filter(Boolean).join(' ').trim()
  return name || person.email || 'Unknown'
}
