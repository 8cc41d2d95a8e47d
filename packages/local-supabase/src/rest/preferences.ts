import { RestError } from '#src/rest/errors.ts'

/**
 * The `Prefer` header (src/PostgREST/ApiRequest/Preferences.hs) and the `Accept` media types
 * PostgREST answers with.
 */
export type Preferences = {
  return?: 'representation' | 'minimal' | 'headers-only'
  count?: 'exact' | 'planned' | 'estimated'
  resolution?: 'merge-duplicates' | 'ignore-duplicates'
  missing?: 'default' | 'null'
  tx?: 'commit' | 'rollback'
  handling?: 'strict' | 'lenient'
  maxAffected?: number
  timezone?: string
  /** The preferences as applied, for Preference-Applied. */
  applied: string[]
  invalid: string[]
}

const ALLOWED: Record<string, string[]> = {
  return: ['representation', 'minimal', 'headers-only'],
  count: ['exact', 'planned', 'estimated'],
  resolution: ['merge-duplicates', 'ignore-duplicates'],
  missing: ['default', 'null'],
  tx: ['commit', 'rollback'],
  handling: ['strict', 'lenient'],
}

export function parsePreferences(headers: string[]): Preferences {
  const prefs: Preferences = { applied: [], invalid: [] }
  for (const header of headers) {
    for (const raw of header.split(',')) {
      const part = raw.trim()
      if (!part) continue
      const [key, value] = part.split('=').map((s) => s.trim()) as [string, string | undefined]
      if (key === 'max-affected' && value && /^\d+$/.test(value)) {
        prefs.maxAffected = Number(value)
      } else if (key === 'timezone' && value) {
        prefs.timezone = value
      } else if (value && ALLOWED[key]?.includes(value)) {
        ;(prefs as Record<string, unknown>)[key] = value
      } else prefs.invalid.push(part)
    }
  }
  if (prefs.handling === 'strict' && prefs.invalid.length) {
    throw new RestError(
      400,
      'PGRST122',
      'Invalid preferences given with handling=strict',
      `Invalid preferences: ${prefs.invalid.join(', ')}`,
    )
  }
  return prefs
}

export type MediaType =
  | { kind: 'json' }
  | { kind: 'object'; stripNulls: boolean }
  | { kind: 'array'; stripNulls: boolean }
  | { kind: 'csv' }
  | { kind: 'plan'; format: 'json' | 'text'; forType: string; options: string[] }
  | { kind: 'text' }
  | { kind: 'geojson' }

/** The first acceptable media type of an Accept header, or 406 PGRST107. */
export function negotiate(accept: string | undefined, planEnabled: boolean): MediaType {
  if (!accept || accept.trim() === '') return { kind: 'json' }
  const offered: string[] = []
  const entries = accept
    .split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)
    .map((entry) => entry.trim())
    .filter(Boolean)
  for (const entry of entries) {
    const [typeRaw, ...paramParts] = entry.split(';').map((s) => s.trim())
    const type = (typeRaw ?? '').toLowerCase()
    offered.push(entry)
    const params = new Map(
      paramParts.map((p) => {
        const [k, v] = p.split('=')
        return [(k ?? '').trim().toLowerCase(), (v ?? '').trim().replace(/^"|"$/g, '')]
      }),
    )
    const stripNulls = params.get('nulls') === 'stripped'
    if (type === 'application/json' || type === '*/*' || type === 'application/*')
      return { kind: 'json' }
    if (type === 'application/vnd.pgrst.object+json' || type === 'application/vnd.pgrst.object')
      return { kind: 'object', stripNulls }
    if (type === 'application/vnd.pgrst.array+json' || type === 'application/vnd.pgrst.array')
      return stripNulls ? { kind: 'array', stripNulls } : { kind: 'json' }
    if (type === 'text/csv') return { kind: 'csv' }
    if (
      planEnabled &&
      (type === 'application/vnd.pgrst.plan' ||
        type === 'application/vnd.pgrst.plan+json' ||
        type === 'application/vnd.pgrst.plan+text')
    ) {
      return {
        kind: 'plan',
        format: type.endsWith('+text') ? 'text' : 'json',
        forType: params.get('for') ?? 'application/json',
        options: (params.get('options') ?? '').split('|').filter(Boolean),
      }
    }
  }
  throw new RestError(
    406,
    'PGRST107',
    `None of these media types are available: ${entries.map((e) => e.split(';')[0]?.trim()).join(', ')}`,
  )
}
