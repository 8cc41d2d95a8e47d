import { data, redirect } from '@remix-run/node'

/**
 * Every loader and action answers through these two, so the cookies @supabase/ssr set on this
 * request (a refreshed token, a new session, a sign-out) always reach the browser.
 */
export function respond<T>(session: { headers: Headers }, payload: T, init: ResponseInit = {}) {
  return data(payload, { ...init, headers: withSessionHeaders(session.headers, init.headers) })
}

export function redirectTo(session: { headers: Headers }, url: string, init: ResponseInit = {}) {
  return redirect(url, { ...init, headers: withSessionHeaders(session.headers, init.headers) })
}

export function withSessionHeaders(sessionHeaders: Headers, extra?: HeadersInit): Headers {
  const headers = new Headers(extra)
  for (const cookie of sessionHeaders.getSetCookie()) headers.append('set-cookie', cookie)
  sessionHeaders.forEach((value, key) => {
    if (key !== 'set-cookie') headers.set(key, value)
  })
  // Pages show one person's data: never cache them in shared caches.
  headers.set('cache-control', 'private, no-store')
  return headers
}

/** A same-site path to return to after signing in; anything else falls back to `/`. */
export function safeRedirectPath(target: FormDataEntryValue | string | null | undefined): string {
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//')) return '/'
  if (target.startsWith('/\\')) return '/'
  return target
}
