import type { StackConfig } from '#src/gateway/config.ts'

type AuthConfig = StackConfig['auth']

/** Redirects go to the site URL or an allowed additional URL only (no open redirect). */
export function isRedirectUrlValid(config: AuthConfig, target: string): boolean {
  const allowed = [config.site_url, ...config.additional_redirect_urls]
  return target !== '' && allowed.some((prefix) => target.startsWith(prefix))
}

/** GoTrue's GetReferrer: `redirect_to` (header or query), then Referer, then site_url. */
export function referrerOf(config: AuthConfig, request: Request): string {
  const url = new URL(request.url)
  const asked = request.headers.get('redirect_to') || url.searchParams.get('redirect_to') || ''
  if (isRedirectUrlValid(config, asked)) return asked
  const referer = request.headers.get('referer') ?? ''
  if (isRedirectUrlValid(config, referer)) return referer
  return config.site_url
}
