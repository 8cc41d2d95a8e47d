import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStack, type TestStack } from '#src/testing/index.ts'

// Storage endpoints and behaviours supabase-js relies on beyond plain upload/download:
// batch signing, list-v2, user metadata, bucket updates, signed upload URLs, content types,
// the CLI's answers, and uploads measured by the file's size in both body shapes.
let stack: TestStack
const LIMIT = 64 * 1024
beforeAll(async () => {
  stack = await createTestStack()
  await stack.db.query(`
    insert into storage.buckets (id, name, public, file_size_limit)
    values ('files', 'files', false, null), ('small', 'small', false, ${LIMIT});`)
})
afterAll(() => stack.close())

const service = () => stack.client(stack.serviceRoleKey)
const auth = () => ({
  authorization: `Bearer ${stack.serviceRoleKey}`,
  apikey: stack.serviceRoleKey,
})

describe('objects', () => {
  it('signs several paths at once, reporting the ones it cannot sign', async () => {
    const files = service().storage.from('files')
    await files.upload('batch/a.txt', Buffer.from('a'), { contentType: 'text/plain' })
    const { data, error } = await files.createSignedUrls(['batch/a.txt', 'batch/missing.txt'], 60)
    expect(error).toBeNull()
    expect(data?.[0]).toMatchObject({ error: null, path: 'batch/a.txt' })
    expect(await (await fetch(data?.[0]?.signedUrl as string)).text()).toBe('a')
    expect(data?.[1]).toEqual({
      error: 'Either the object does not exist or you do not have access to it',
      path: 'batch/missing.txt',
      signedURL: null,
      signedUrl: null,
    })
  })

  it('signs names with spaces and parentheses so the URLs supabase-js builds work', async () => {
    const files = service().storage.from('files')
    const name = 'names/Q3 proposal (final) é.txt'
    await files.upload(name, Buffer.from('signed'), { contentType: 'text/plain' })
    const single = await files.createSignedUrl(name, 60)
    expect(single.error).toBeNull()
    // Storage answers with the stored (decoded) path; supabase-js encodes it exactly once.
    expect(single.data?.signedUrl).toContain('/names/Q3%20proposal%20(final)%20%C3%A9.txt?token=')
    expect(await (await fetch(single.data?.signedUrl as string)).text()).toBe('signed')
    const batch = await files.createSignedUrls([name], 60)
    expect(await (await fetch(batch.data?.[0]?.signedUrl as string)).text()).toBe('signed')

    const upload = await files.createSignedUploadUrl('names/new (draft).txt')
    expect(upload.error).toBeNull()
    const put = await files.uploadToSignedUrl(
      'names/new (draft).txt',
      upload.data?.token as string,
      Buffer.from('up'),
      {
        contentType: 'text/plain',
      },
    )
    expect(put.error).toBeNull()
    const { data } = await files.download('names/new (draft).txt')
    expect(await data?.text()).toBe('up')
  })

  it('lists with list-v2: flat, folded into folders, and paginated by cursor', async () => {
    const files = service().storage.from('files')
    for (const name of ['v2/b.txt', 'v2/a.txt', 'v2/sub/c.txt', 'v2/d.txt'])
      await files.upload(name, Buffer.from(name), { contentType: 'text/plain' })
    const folded = await files.listV2({ prefix: 'v2/', with_delimiter: true })
    expect(folded.data?.folders).toEqual([{ key: 'v2/sub', name: 'v2/sub/' }])
    expect(folded.data?.objects.map((o) => o.name)).toEqual(['v2/a.txt', 'v2/b.txt', 'v2/d.txt'])
    const seen: string[] = []
    let cursor: string | undefined
    for (let page = 0; page < 3; page++) {
      const res = await files.listV2({ prefix: 'v2/', limit: 2, ...(cursor ? { cursor } : {}) })
      seen.push(...(res.data?.objects.map((o) => o.name) ?? []))
      cursor = res.data?.nextCursor
      if (!res.data?.hasNext) break
    }
    expect(seen).toEqual(['v2/a.txt', 'v2/b.txt', 'v2/d.txt', 'v2/sub/c.txt'])
  })

  it('keeps user metadata from a form or a raw upload and returns it from info()', async () => {
    const files = service().storage.from('files')
    await files.upload('meta/form.txt', new Blob(['x'], { type: 'text/plain' }), {
      metadata: { owner: 'ada', tags: ['a'] },
    })
    await files.upload('meta/raw.txt', Buffer.from('x'), {
      contentType: 'text/plain',
      metadata: { owner: 'bob' },
    })
    expect((await files.info('meta/form.txt')).data?.metadata).toEqual({
      owner: 'ada',
      tags: ['a'],
    })
    expect((await files.info('meta/raw.txt')).data?.metadata).toEqual({ owner: 'bob' })
  })

  it('keeps content type parameters', async () => {
    const files = service().storage.from('files')
    await files.upload('types/t.txt', Buffer.from('hé'), {
      contentType: 'text/plain;charset=utf-8',
    })
    const res = await fetch(`${stack.url}/storage/v1/object/files/types/t.txt`, { headers: auth() })
    expect(res.headers.get('content-type')).toBe('text/plain;charset=utf-8')
  })

  it('signed upload URLs overwrite only when signed with upsert', async () => {
    const files = service().storage.from('files')
    await files.upload('signed/u.txt', Buffer.from('one'), { contentType: 'text/plain' })
    const refused = await files.createSignedUploadUrl('signed/u.txt')
    expect(refused.error).toMatchObject({ message: 'The resource already exists' })
    const signed = await files.createSignedUploadUrl('signed/u.txt', { upsert: true })
    expect(signed.error).toBeNull()
    const put = await files.uploadToSignedUrl(
      'signed/u.txt',
      signed.data?.token as string,
      Buffer.from('two'),
      {
        contentType: 'text/plain',
      },
    )
    expect(put.error).toBeNull()
    expect(await (await files.download('signed/u.txt')).data?.text()).toBe('two')
  })
})

describe('buckets', () => {
  it('updates only the fields sent and reports size limits as numbers', async () => {
    const storage = service().storage
    await storage.createBucket('upd', {
      public: false,
      fileSizeLimit: '1MB',
      allowedMimeTypes: ['text/plain'],
    })
    expect((await storage.getBucket('upd')).data).toMatchObject({
      public: false,
      file_size_limit: 1000000,
      allowed_mime_types: ['text/plain'],
    })
    expect((await storage.updateBucket('upd', { public: true })).error).toBeNull()
    expect((await storage.getBucket('upd')).data).toMatchObject({
      public: true,
      file_size_limit: 1000000,
      allowed_mime_types: ['text/plain'],
    })
  })

  it("answers emptyBucket and a request without a key with the CLI's messages", async () => {
    const storage = service().storage
    await storage.createBucket('empty-me')
    await storage.from('empty-me').upload('x.txt', Buffer.from('x'), { contentType: 'text/plain' })
    expect((await storage.emptyBucket('empty-me')).data).toEqual({
      message: 'Empty bucket has been queued. Completion may take up to an hour.',
    })
    expect((await storage.from('empty-me').list()).data).toEqual([])
    const keyless = await fetch(`${stack.url}/storage/v1/bucket`)
    expect(keyless.status).toBe(400)
    expect(await keyless.json()).toEqual({
      statusCode: '403',
      code: 'AccessDenied',
      error: 'Unauthorized',
      message: 'Invalid Compact JWS',
    })
  })
})

describe('upload size limits', () => {
  const form = (size: number) => {
    const body = new FormData()
    body.append('cacheControl', '3600')
    body.append('', new Blob([new Uint8Array(size)], { type: 'application/octet-stream' }), 'f.bin')
    return body
  }
  const post = (name: string, body: RequestInit['body'], headers: Record<string, string> = {}) =>
    fetch(`${stack.url}/storage/v1/object/small/${name}`, {
      method: 'POST',
      headers: { ...auth(), ...headers },
      body,
    })

  it('accepts a file of exactly the limit as a form and as a raw body', async () => {
    expect((await post('exact-form.bin', form(LIMIT))).status).toBe(200)
    expect(
      (
        await post('exact-raw.bin', new Uint8Array(LIMIT), {
          'content-type': 'application/octet-stream',
        })
      ).status,
    ).toBe(200)
    expect((await service().storage.from('small').info('exact-form.bin')).data?.size).toBe(LIMIT)
  })

  it('answers 413 to anything over the limit, even far over it, without resetting the connection', async () => {
    // 80 MiB is past the point where a server that gives up draining would reset the connection.
    for (const size of [LIMIT + 1, 80 * 1024 * 1024]) {
      const viaForm = await post('over-form.bin', form(size))
      expect(viaForm.status).toBe(400)
      expect(await viaForm.json()).toMatchObject({ statusCode: '413', code: 'EntityTooLarge' })
      const raw = await post('over-raw.bin', new Uint8Array(size), {
        'content-type': 'application/octet-stream',
      })
      expect(raw.status).toBe(400)
      expect(await raw.json()).toMatchObject({ statusCode: '413', code: 'EntityTooLarge' })
    }
    const names = (await service().storage.from('small').list()).data?.map((o) => o.name)
    expect(names).not.toContain('over-form.bin')
    expect(names).not.toContain('over-raw.bin')
  })
})

describe('malformed input', () => {
  it('answers 400 to malformed percent-encoding in object paths', async () => {
    const res = await fetch(`${stack.url}/storage/v1/object/files/bad%E0%A4%A.txt`, {
      headers: auth(),
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ statusCode: '400', code: 'InvalidKey' })
  })

  it('refuses CR/LF in cacheControl and content type at upload, and stores nothing', async () => {
    const body = new FormData()
    body.append('cacheControl', '3600\r\nx-evil: 1')
    body.append('', new Blob(['x'], { type: 'text/plain' }), 'f.txt')
    const viaForm = await fetch(`${stack.url}/storage/v1/object/files/crlf/form.txt`, {
      method: 'POST',
      headers: auth(),
      body,
    })
    expect(viaForm.status).toBe(400)
    expect(await viaForm.json()).toMatchObject({
      statusCode: '400',
      message: 'Invalid cacheControl: control characters are not allowed',
    })
    // A bare LF inside the file part's Content-Type line (a CRLF would end the line).
    const boundary = 'crlf-boundary'
    const raw = [
      `--${boundary}`,
      'Content-Disposition: form-data; name=""; filename="f.txt"',
      'Content-Type: text/plain\nx-evil: 1',
      '',
      'x',
      `--${boundary}--`,
      '',
    ].join('\r\n')
    const viaType = await fetch(`${stack.url}/storage/v1/object/files/crlf/type.txt`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: raw,
    })
    expect(viaType.status).toBe(400)
    expect(await viaType.json()).toMatchObject({
      statusCode: '400',
      message: 'Invalid contentType: control characters are not allowed',
    })
    expect((await service().storage.from('files').list('crlf')).data).toEqual([])
  })

  it('answers 400 to JSON nested deeper than the limit', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`
    const res = await fetch(`${stack.url}/storage/v1/object/list/files`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: `{"prefix": ${deep}}`,
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ message: 'JSON nested deeper than 256 levels' })
  })
})
