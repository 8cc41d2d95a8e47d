import { compileUrlGlob } from '#src/auth/url-glob.ts'
import type { StackConfig } from '#src/gateway/config.ts'

type AuthConfig = StackConfig['auth']

// GoTrue's IsRedirectURLValid (auth:internal/utilities/request.go), on top of a parse that
// refuses what a browser would read differently from the allow-list check.

const REGULAR_HOSTNAME = /^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/
const DECIMAL = /^[0-9]+$/
const globs = new Map<string, RegExp>()
const globOf = (pattern: string) => {
  let glob = globs.get(pattern)
  if (!glob) {
    glob = compileUrlGlob(pattern)
    globs.set(pattern, glob)
  }
  return glob
}

/**
 * Whether an email link may send the browser to `target`. GoTrue's rules: the site URL's host
 * (any port or path), a loopback IP, or a match of an `additional_redirect_urls` glob on the URL
 * without its fragment. Refused first, because a browser would go somewhere else than the check
 * assumes: whitespace, control characters or backslashes anywhere, user info (`allowed@evil`),
 * a host that the URL parser rewrites (percent-encoding, IDN, numeric IPv4 forms), `http:` URLs
 * without `//`, and (for globs) a query standing in for the host (`https://evil.com?.allowed/`).
 */
export function isRedirectUrlValid(config: AuthConfig, target: string): boolean {
  if (target === '' || /[\s\\]/.test(target) || hasControlCharacter(target)) return false
  let url: URL
  try {
    url = new URL(target)
  } catch {
    return false
  }
  if (url.username || url.password) return false
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(target)?.[1]
  const http = url.protocol === 'http:' || url.protocol === 'https:'
  if (http && authority === undefined) return false
  if (authority !== undefined) {
    if (authority.includes('@')) return false
    const host = authority.startsWith('[')
      ? authority.slice(0, authority.indexOf(']') + 1)
      : authority.replace(/:[^:]*$/, '')
    if (!host.startsWith('[') && host.toLowerCase() !== url.hostname) return false
  }
  const hostname = url.hostname
  if (http && hostname !== '' && hostname === siteHostname(config)) return true
  if (DECIMAL.test(hostname)) return false
  if (isIpLiteral(hostname)) return http && isLoopback(hostname)
  if (http && !REGULAR_HOSTNAME.test(hostname)) return false
  const withoutFragment = target.split('#', 1)[0] as string
  const withoutQuery = withoutFragment.split('?', 1)[0] as string
  return config.additional_redirect_urls.some((pattern) => {
    const glob = globOf(pattern)
    return glob.test(withoutFragment) && glob.test(withoutQuery)
  })
}

const hasControlCharacter = (value: string) =>
  [...value].some((ch) => (ch.codePointAt(0) as number) < 0x20 || ch === '\u007f')

function siteHostname(config: AuthConfig): string {
  try {
    return new URL(config.site_url).hostname
  } catch {
    return ''
  }
}

const isIpLiteral = (hostname: string) =>
  hostname.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname)

/** Go's net.IP.IsLoopback: 127.0.0.0/8, ::1, and IPv4-mapped 127/8. */
function isLoopback(hostname: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(hostname)) return hostname.split('.')[0] === '127'
  const v6 = hostname.slice(1, -1).toLowerCase()
  return v6 === '::1' || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(v6)
}

/**
 * GoTrue's GetReferrer: `redirect_to` (header, then query) when allowed, else the Referer
 * header when allowed, else the site URL.
 */
export function referrerOf(config: AuthConfig, request: Request): string {
  const url = new URL(request.url)
  const asked = request.headers.get('redirect_to') || url.searchParams.get('redirect_to') || ''
  if (isRedirectUrlValid(config, asked)) return asked
  const referer = request.headers.get('referer') ?? ''
  if (isRedirectUrlValid(config, referer)) return referer
  return config.site_url
}
