import { describe, expect, it } from 'vitest'
import { isRedirectUrlValid, referrerOf } from '#src/auth/redirect.ts'
import { compileUrlGlob } from '#src/auth/url-glob.ts'
import { stackConfigSchema } from '#src/gateway/config.ts'

// GoTrue's own table (auth:internal/utilities/request_test.go TestGetReferrer), then the tricks
// a browser reads differently from a naive check.
const config = stackConfigSchema.parse({
  auth: {
    site_url: 'https://example.com',
    additional_redirect_urls: [
      'http://localhost:8000/*',
      'http://*.localhost:8000/*',
      'http://*:12345/*',
      'http://**:12345/*',
      'https://**.preview.example/**',
      'myapp://auth/{callback,confirm}',
    ],
  },
}).auth

const valid = (url: string) => isRedirectUrlValid(config, url)

describe('redirect_to allow-list', () => {
  it.each([
    ['http://localhost:8000/path', true],
    ['http://localhost:3000', false],
    ['http://localhost:8000', false],
    ['http://localhost:8000/path/to/page', false],
    ['http://localhost:8000/path?param=1', true],
    ['http://123?.localhost:8000/path', false],
    ['http://123.123.123.123?localhost:8000/path', false],
    ['http://[65e7:9410:d8b6:e227:58cd:e55b:8fc0:206d]?localhost:8000/path', false],
    ['http://65e7:9410:d8b6:e227:58cd:e55b:8fc0:206d?localhost:8000/path', false],
    ['http://127.0.0.1:12345/path', true],
    ['http://[0:0:0:0:0:0:0:1]:12345/path', true],
  ])("follows GoTrue's table: %s → %s", (url, expected) => {
    expect(valid(url)).toBe(expected)
  })

  it('allows any URL on the site URL host, any loopback IP, and glob matches', () => {
    expect(valid('https://example.com/auth/callback?next=/x#frag')).toBe(true)
    expect(valid('http://example.com:9999/other')).toBe(true)
    expect(valid('http://127.0.0.2:5000/cb')).toBe(true)
    expect(valid('https://pr-12.preview.example/auth/callback')).toBe(true)
    expect(valid('myapp://auth/confirm')).toBe(true)
    expect(valid('myapp://auth/other')).toBe(false)
    expect(valid('http://10.0.0.5:12345/path')).toBe(false)
  })

  it.each([
    ['user info', 'https://example.com@evil.example/'],
    ['user info with password', 'https://example.com:pw@evil.example/'],
    ['backslash before @', 'http://localhost:8000\\@evil.example/'],
    ['backslash as path separator', 'https://evil.example\\.example.com/'],
    ['leading space', ' https://example.com/'],
    ['tab inside the host', 'https://exa\tmple.com/'],
    ['newline', 'https://example.com/\n'],
    ['protocol-relative', '//evil.example/path'],
    ['http without slashes', 'http:evil.example'],
    ['percent-encoded host', 'https://%65xample.com/'],
    ['numeric IPv4 host', 'http://2130706433:12345/path'],
    ['hex IPv4 host', 'http://0x7f.0.0.1:12345/path'],
    ['IDN look-alike host', 'https://exаmple.com/'],
    ['query standing in for the host', 'https://evil.example?.preview.example/'],
    ['fragment standing in for the host', 'https://evil.example#.preview.example/'],
    ['javascript URL on the site host', 'javascript://example.com/%0aalert(1)'],
    ['empty', ''],
  ])('refuses %s', (_name, url) => {
    expect(valid(url)).toBe(false)
  })

  it('takes redirect_to, then Referer, then falls back to site_url', () => {
    const request = (query: string, headers: Record<string, string> = {}) =>
      new Request(`http://gateway.local/auth/v1/recover${query}`, { headers })
    expect(referrerOf(config, request('?redirect_to=https://example.com/cb'))).toBe(
      'https://example.com/cb',
    )
    expect(
      referrerOf(
        config,
        request('?redirect_to=https://evil.example/', { referer: 'https://example.com/from' }),
      ),
    ).toBe('https://example.com/from')
    expect(
      referrerOf(
        config,
        request(`?redirect_to=${encodeURIComponent('https://example.com@evil.example/')}`),
      ),
    ).toBe('https://example.com')
  })
})

describe('URL globs', () => {
  it("compile gobwas/glob's syntax with '.' and '/' as separators", () => {
    expect(compileUrlGlob('https://*.example.com').test('https://a.example.com')).toBe(true)
    expect(compileUrlGlob('https://*.example.com').test('https://a.b.example.com')).toBe(false)
    expect(compileUrlGlob('https://**.example.com').test('https://a.b.example.com')).toBe(true)
    expect(compileUrlGlob('http://localhost:300?/**').test('http://localhost:3001/a/b')).toBe(true)
    expect(compileUrlGlob('http://localhost:300[0-2]').test('http://localhost:3003')).toBe(false)
    expect(compileUrlGlob('http://localhost:300[!0-2]').test('http://localhost:3003')).toBe(true)
    expect(compileUrlGlob('https://{a,b}.example.com').test('https://b.example.com')).toBe(true)
    expect(compileUrlGlob('https://\\*.example.com').test('https://x.example.com')).toBe(false)
  })
})
