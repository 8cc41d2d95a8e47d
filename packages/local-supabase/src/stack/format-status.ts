import type { StackStatus } from '#src/stack/state.ts'

const labels: [keyof StackStatus, string][] = [
  ['api_url', 'API URL'],
  ['rest_url', 'REST URL'],
  ['storage_url', 'Storage URL'],
  ['db_url', 'DB URL'],
  ['mail_url', 'Mail URL'],
  ['publishable_key', 'Publishable key'],
  ['secret_key', 'Secret key'],
  ['anon_key', 'anon key'],
  ['service_role_key', 'service_role key'],
  ['jwt_secret', 'JWT secret'],
]

/** The human form of the status, laid out like `supabase status`. */
export function formatStatus(status: StackStatus): string {
  const rows = labels.filter(([key]) => status[key] !== undefined)
  const width = Math.max(...rows.map(([, label]) => label.length))
  return rows.map(([key, label]) => `${label.padStart(width)}: ${status[key]}`).join('\n')
}
