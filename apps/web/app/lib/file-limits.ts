/**
 * What a storage bucket accepts (its file_size_limit and allowed_mime_types), in words people
 * read before they upload, and the same check the browser and the server run before sending a
 * file. Storage enforces the limits again.
 */
export type FileLimits = {
  /** Bytes; null when the bucket sets none. */
  maxBytes: number | null
  /** MIME types (or `type/*` families); empty when any type is accepted. */
  allowedTypes: string[]
}

const TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/webp': 'WebP',
  'image/gif': 'GIF',
  'image/*': 'images',
  'text/plain': 'plain text',
  'text/csv': 'CSV',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word (.docx)',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel (.xlsx)',
}

/** The file extensions an `<input accept>` offers for these types (helps the file picker). */
const EXTENSIONS: Record<string, string> = {
  'text/csv': '.csv',
  'text/plain': '.txt',
  'application/pdf': '.pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${value >= 10 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)} ${units[unit]}`
}

/** "PDF, PNG, JPEG and CSV" */
export function describeTypes(types: string[]): string {
  const names = [...new Set(types.map((type) => TYPE_NAMES[type] ?? type))]
  if (names.length <= 1) return names.join('')
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

/** One sentence for the upload area: "PDF, PNG … up to 20 MB each." */
export function describeLimits(limits: FileLimits): string {
  const types = limits.allowedTypes.length ? describeTypes(limits.allowedTypes) : 'Any type of file'
  return limits.maxBytes ? `${types}, up to ${formatBytes(limits.maxBytes)} each.` : `${types}.`
}

export function acceptAttribute(limits: FileLimits): string | undefined {
  if (!limits.allowedTypes.length) return undefined
  return [
    ...new Set(
      limits.allowedTypes.flatMap((type) => [
        type,
        ...(EXTENSIONS[type] ? [EXTENSIONS[type]] : []),
      ]),
    ),
  ].join(',')
}

function typeAllowed(allowed: string[], type: string): boolean {
  return allowed.some((a) => a === type || (a.endsWith('/*') && type.startsWith(a.slice(0, -1))))
}

/** Why this file cannot be uploaded, or null when it fits the limits. */
export function fileProblem(
  limits: FileLimits,
  file: { name: string; size: number; type: string },
): string | null {
  const type = file.type || 'application/octet-stream'
  if (limits.allowedTypes.length && !typeAllowed(limits.allowedTypes, type)) {
    return `${file.name} is not an accepted type of file (${describeTypes(limits.allowedTypes)}).`
  }
  if (limits.maxBytes !== null && file.size > limits.maxBytes) {
    return `${file.name} is ${formatBytes(file.size)}; files may be at most ${formatBytes(limits.maxBytes)}.`
  }
  if (file.size === 0) return `${file.name} is empty.`
  return null
}

/**
 * A file name that is safe as the last segment of an object name on every Supabase: ASCII
 * letters, digits and `. _ -` only (spaces become `_`, accents are dropped), the extension
 * kept, at most 120 characters. Such a name reads the same encoded or not, so it survives every
 * client and server URL round trip (signed URLs, downloads) unchanged.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  let cleaned = base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .replace(/\s+/g, '_')
    .replace(/[^A-Za-z0-9._-]/g, '_')
  if (cleaned.length > 120) {
    const dot = cleaned.lastIndexOf('.')
    const extension = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : ''
    cleaned = cleaned.slice(0, 120 - extension.length) + extension
  }
  return /^\.*$/.test(cleaned) ? 'file' : cleaned
}

/**
 * What a failed upload straight to Storage means (its error body carries the real status in
 * `statusCode`), for the browser's upload progress list.
 */
export function uploadFailureMessage(status: number, body: string): string {
  let code = String(status)
  try {
    const parsed = JSON.parse(body) as { statusCode?: string | number }
    if (parsed.statusCode) code = String(parsed.statusCode)
  } catch {
    // Not JSON: the HTTP status is all there is.
  }
  switch (code) {
    case '401':
    case '403':
      return 'You are not allowed to add files to this deal.'
    case '409':
      return 'A file with this name is already attached. Tick “Replace files with the same name” to overwrite it.'
    case '413':
      return 'The file is larger than the limit.'
    case '415':
      return 'This type of file is not accepted.'
    default:
      return 'The upload failed. Try again in a moment.'
  }
}
