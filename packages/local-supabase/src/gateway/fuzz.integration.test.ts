import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStack, type TestStack } from '#src/testing/index.ts'

// A bounded fuzz run: a few hundred malformed requests (seeded, so every run sends the same
// ones) to every route of REST, Storage and Auth. Nothing a client sends may answer 500, and
// the gateway must serve normally afterwards.
let stack: TestStack
beforeAll(async () => {
  stack = await createTestStack()
  await stack.db.query(`
    create table public.fuzz (id int primary key, name text, data jsonb, tags text[]);
    insert into public.fuzz values (1, 'one', '{"a": 1}', '{x}');
    create function public.fuzz_fn(a int, b text default '') returns int language sql as 'select a';
    grant all on public.fuzz to anon, authenticated;
    grant execute on function public.fuzz_fn(int, text) to anon, authenticated;
    insert into storage.buckets (id, name, public) values ('fz', 'fz', true);`)
})
afterAll(() => stack.close())

/** mulberry32: a small seeded PRNG, so a failure can be replayed. */
function prng(seed: number) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const NASTY = [
  '%',
  '%zz',
  '%E0%A4%A',
  '%00',
  '%FF%FE',
  '(',
  ')',
  '((',
  '"',
  "'",
  '\\',
  '..',
  '../..',
  '.',
  ',',
  ':',
  '::',
  '->',
  '->>',
  '!',
  '*',
  'not.',
  'eq.',
  'in.(',
  'in.("a,b)',
  'or=(',
  'like(any).{',
  'fts(.x',
  'is.maybe',
  '-1',
  '99999999999999999999',
  'NaN',
  '☃',
  '\u202e',
  'x'.repeat(3000),
  '{}',
  '[]',
  'null',
]
const BODIES = [
  '',
  '{',
  '[',
  'null',
  'true',
  '1',
  '"x"',
  '{"a":',
  '[{"id":"x"}]',
  '{"id":1,"name":{"deep":[1,2,{"x":null}]}}',
  '{"email":1,"password":[]}',
  '{"email":"a@b.c","password":"x","data":"not-an-object"}',
  '{"prefixes":"x"}',
  '{"prefixes":[1,2,null]}',
  '{"expiresIn":"soon","paths":{}}',
  '{"bucketId":null,"sourceKey":{},"destinationKey":[]}',
  '{"prefix":1,"limit":"x","offset":-5,"sortBy":"name"}',
  '{"id":"","name":"","public":"yes","file_size_limit":"huge","allowed_mime_types":"x"}',
  `{"a":${'['.repeat(3000)}${']'.repeat(3000)}}`,
  '\u0000\u0001',
  '--boundary\r\nContent-Disposition: form-data; name=""; filename="x"\r\n\r\nabc',
]
const HEADER_SETS: Record<string, string>[] = [
  {},
  { prefer: 'return=representation,count=exact,resolution=merge-duplicates,missing=default' },
  { prefer: 'count=nope, max-affected=-1, handling=strict, tx=maybe' },
  { accept: 'application/vnd.pgrst.object+json' },
  { accept: 'text/csv' },
  { accept: 'application/vnd.pgrst.plan+json; options=analyze|verbose' },
  { accept: 'x/y, */*;q=0' },
  { 'accept-profile': 'nope', 'content-profile': 'nope' },
  { 'content-type': 'multipart/form-data; boundary=boundary' },
  { 'content-type': 'multipart/form-data' },
  { 'content-type': 'text/plain' },
  { 'content-type': 'application/octet-stream', 'x-upsert': 'maybe' },
  { authorization: 'Bearer not-a-jwt' },
  { authorization: 'Bearer a.b.c' },
  { authorization: 'Basic abc' },
  { 'x-metadata': '!!!not-base64' },
  { 'x-metadata': Buffer.from('{"a":').toString('base64') },
  { range: 'bytes=9-1' },
  { 'x-supabase-api-version': '1999-01-01' },
]

const ROUTES: { method: string; path: string }[] = [
  { method: 'GET', path: '/rest/v1/fuzz' },
  { method: 'HEAD', path: '/rest/v1/fuzz' },
  { method: 'POST', path: '/rest/v1/fuzz' },
  { method: 'PATCH', path: '/rest/v1/fuzz' },
  { method: 'DELETE', path: '/rest/v1/fuzz' },
  { method: 'GET', path: '/rest/v1/{x}' },
  { method: 'POST', path: '/rest/v1/rpc/fuzz_fn' },
  { method: 'GET', path: '/rest/v1/rpc/fuzz_fn' },
  { method: 'POST', path: '/rest/v1/rpc/{x}' },
  { method: 'GET', path: '/rest/v1/' },
  { method: 'GET', path: '/storage/v1/bucket' },
  { method: 'POST', path: '/storage/v1/bucket' },
  { method: 'GET', path: '/storage/v1/bucket/{x}' },
  { method: 'PUT', path: '/storage/v1/bucket/{x}' },
  { method: 'DELETE', path: '/storage/v1/bucket/{x}' },
  { method: 'POST', path: '/storage/v1/bucket/{x}/empty' },
  { method: 'POST', path: '/storage/v1/object/fz/{x}' },
  { method: 'PUT', path: '/storage/v1/object/fz/{x}' },
  { method: 'GET', path: '/storage/v1/object/fz/{x}' },
  { method: 'HEAD', path: '/storage/v1/object/fz/{x}' },
  { method: 'GET', path: '/storage/v1/object/public/fz/{x}' },
  { method: 'GET', path: '/storage/v1/object/authenticated/fz/{x}' },
  { method: 'GET', path: '/storage/v1/object/info/fz/{x}' },
  { method: 'POST', path: '/storage/v1/object/sign/fz/{x}' },
  { method: 'POST', path: '/storage/v1/object/sign/fz' },
  { method: 'GET', path: '/storage/v1/object/sign/fz/{x}' },
  { method: 'POST', path: '/storage/v1/object/upload/sign/fz/{x}' },
  { method: 'PUT', path: '/storage/v1/object/upload/sign/fz/{x}' },
  { method: 'POST', path: '/storage/v1/object/list/fz' },
  { method: 'POST', path: '/storage/v1/object/list-v2/fz' },
  { method: 'DELETE', path: '/storage/v1/object/fz' },
  { method: 'POST', path: '/storage/v1/object/move' },
  { method: 'POST', path: '/storage/v1/object/copy' },
  { method: 'GET', path: '/auth/v1/health' },
  { method: 'GET', path: '/auth/v1/settings' },
  { method: 'POST', path: '/auth/v1/signup' },
  { method: 'POST', path: '/auth/v1/token' },
  { method: 'GET', path: '/auth/v1/user' },
  { method: 'PUT', path: '/auth/v1/user' },
  { method: 'POST', path: '/auth/v1/logout' },
  { method: 'POST', path: '/auth/v1/recover' },
  { method: 'POST', path: '/auth/v1/verify' },
  { method: 'GET', path: '/auth/v1/verify' },
  { method: 'POST', path: '/auth/v1/invite' },
  { method: 'POST', path: '/auth/v1/admin/users' },
  { method: 'GET', path: '/auth/v1/admin/users' },
  { method: 'GET', path: '/auth/v1/admin/users/{x}' },
  { method: 'PUT', path: '/auth/v1/admin/users/{x}' },
  { method: 'DELETE', path: '/auth/v1/admin/users/{x}' },
  { method: 'POST', path: '/auth/v1/admin/generate_link' },
]
const QUERY_KEYS = [
  'select',
  'order',
  'limit',
  'offset',
  'or',
  'and',
  'id',
  'name',
  'data->a',
  'tags',
  'on_conflict',
  'columns',
  'grant_type',
  'type',
  'token',
  'redirect_to',
  'page',
  'per_page',
  'download',
  'a',
  'b',
]

describe('malformed requests', () => {
  it('never answer 500, and the gateway keeps serving', async () => {
    const random = prng(20261202)
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)] as T
    const requests = [] as {
      method: string
      url: string
      headers: Record<string, string>
      body?: string
    }[]
    for (const route of ROUTES) {
      for (let i = 0; i < 7; i++) {
        const segment = pick(NASTY)
        const path = route.path.replace('{x}', i === 0 ? 'plain' : segment)
        const query = Array.from(
          { length: Math.floor(random() * 3) },
          () => `${pick(QUERY_KEYS)}=${pick(NASTY)}`,
        ).join('&')
        const key = random() < 0.5 ? stack.serviceRoleKey : stack.anonKey
        const headers: Record<string, string> = {
          apikey: key,
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          ...pick(HEADER_SETS),
        }
        const hasBody = !['GET', 'HEAD'].includes(route.method)
        requests.push({
          method: route.method,
          url: `${stack.url}${path}${query ? `?${query}` : ''}`,
          headers,
          body: hasBody ? pick(BODIES) : undefined,
        })
      }
    }
    expect(requests.length).toBeGreaterThanOrEqual(300)
    const failures: string[] = []
    const queue = [...requests]
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const r = next
        let status: number
        try {
          const res = await fetch(r.url, {
            method: r.method,
            headers: r.headers,
            body: r.body,
            redirect: 'manual',
          })
          await res.arrayBuffer()
          status = res.status
        } catch (error) {
          failures.push(`${r.method} ${r.url} -> ${(error as Error).message}`)
          continue
        }
        if (status >= 500)
          failures.push(
            `${r.method} ${r.url} ${JSON.stringify(r.headers)} ${r.body?.slice(0, 80)} -> ${status}`,
          )
      }
    }
    await Promise.all(Array.from({ length: 6 }, worker))
    expect(failures).toEqual([])

    // Healthy after: each service answers a normal request.
    expect((await fetch(`${stack.url}/auth/v1/health`)).status).toBe(200)
    const rows = await stack.client().from('fuzz').select('id').eq('id', 1)
    expect(rows.data).toEqual([{ id: 1 }])
    const buckets = await stack.client(stack.serviceRoleKey).storage.listBuckets()
    expect(buckets.data?.map((b) => b.id)).toContain('fz')
  }, 120_000)
})
