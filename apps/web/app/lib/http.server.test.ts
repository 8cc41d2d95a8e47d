import { describe, expect, it } from 'vitest'
import { safeRedirectPath, withSessionHeaders } from '#app/lib/http.server.ts'

describe('safeRedirectPath', () => {
  it.each([
    ['/org/acme/members', '/org/acme/members'],
    ['/invite/abc?x=1', '/invite/abc?x=1'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    [null, '/'],
  ])('%s → %s', (input, expected) => {
    expect(safeRedirectPath(input)).toBe(expected)
  })
})

describe('withSessionHeaders', () => {
  it('keeps every cookie of the session and marks the response private', () => {
    const session = new Headers()
    session.append('set-cookie', 'sb-a=1; Path=/')
    session.append('set-cookie', 'sb-b=2; Path=/')
    const headers = withSessionHeaders(session, { 'x-extra': 'yes' })
    expect(headers.getSetCookie()).toEqual(['sb-a=1; Path=/', 'sb-b=2; Path=/'])
    expect(headers.get('x-extra')).toBe('yes')
    expect(headers.get('cache-control')).toBe('private, no-store')
  })
})
