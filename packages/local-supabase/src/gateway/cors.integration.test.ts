import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStack, type TestStack } from '#src/testing/index.ts'

// The CLI's Kong answers every origin with credentials; browsers read these headers, so they are
// pinned here for answers from each service, successful or not, and for preflights.
let stack: TestStack
beforeAll(async () => {
  stack = await createTestStack()
})
afterAll(() => stack.close())

const EXPOSE = 'content-range,x-total-count,link,x-supabase-api-version'
const corsOf = (response: Response) =>
  Object.fromEntries(
    [...response.headers].filter(([name]) => name.startsWith('access-control-') || name === 'vary'),
  )

describe('CORS', () => {
  it('adds the same headers to every answer, after the route, keeping its length', async () => {
    const origin = 'http://app.example.test'
    const answers = [
      await fetch(`${stack.url}/rest/v1/rpc/nope`, {
        method: 'POST',
        headers: { apikey: stack.anonKey, origin, 'content-type': 'application/json' },
        body: '{}',
      }),
      await fetch(`${stack.url}/auth/v1/health`, { headers: { apikey: stack.anonKey, origin } }),
      await fetch(`${stack.url}/storage/v1/bucket`, {
        headers: { authorization: `Bearer ${stack.serviceRoleKey}`, origin },
      }),
      await fetch(`${stack.url}/nowhere`, { headers: { origin } }),
    ]
    expect(answers.map((r) => r.status)).toEqual([404, 200, 200, 404])
    for (const answer of answers) {
      expect(corsOf(answer)).toEqual({
        'access-control-allow-origin': origin,
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers': EXPOSE,
        vary: 'Origin',
      })
      const body = await answer.text()
      expect(answer.headers.get('content-length')).toBe(String(Buffer.byteLength(body)))
    }
    const noOrigin = await fetch(`${stack.url}/rest/v1/rpc/nope`, {
      method: 'POST',
      headers: { apikey: stack.anonKey },
    })
    expect(corsOf(noOrigin)).toEqual({
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': EXPOSE,
      vary: 'Origin',
    })
  })

  it('answers a preflight with 204 and what may be sent', async () => {
    const preflight = await fetch(`${stack.url}/rest/v1/rpc/anything`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example.test', 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(204)
    expect(corsOf(preflight)).toEqual({
      'access-control-allow-origin': 'http://app.example.test',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': EXPOSE,
      'access-control-allow-methods': 'GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS',
      'access-control-allow-headers':
        'authorization,apikey,content-type,x-client-info,accept-profile,content-profile,prefer,range,x-upsert,x-supabase-api-version,cache-control',
      'access-control-max-age': '3600',
      vary: 'Origin, Access-Control-Request-Headers',
    })
  })
})
