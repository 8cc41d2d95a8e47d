import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStack, type TestStack } from '#src/testing/index.ts'

let stack: TestStack
const ada = { email: 'ada@example.com', password: 'password123' }
const bob = { email: 'bob@example.com', password: 'password123' }
beforeAll(async () => {
  stack = await createTestStack()
  await stack.db.createUser(ada)
  await stack.db.createUser(bob)
  // Each user owns the folder named after their id, in a private bucket; a public bucket too.
  await stack.db.query(`
    insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
    values ('docs', 'docs', false, 1048576, '{text/plain,image/*,application/octet-stream}'), ('pub', 'pub', true, null, null);
    create policy docs_select on storage.objects for select to authenticated
      using (bucket_id = 'docs' and (storage.foldername(name))[1] = auth.uid()::text);
    create policy docs_insert on storage.objects for insert to authenticated
      with check (bucket_id = 'docs' and (storage.foldername(name))[1] = auth.uid()::text);
    create policy docs_update on storage.objects for update to authenticated
      using (bucket_id = 'docs' and (storage.foldername(name))[1] = auth.uid()::text);
    create policy docs_delete on storage.objects for delete to authenticated
      using (bucket_id = 'docs' and (storage.foldername(name))[1] = auth.uid()::text);`)
})
afterAll(() => stack.close())

const signIn = async (who: typeof ada) => {
  const client = stack.client()
  const { data } = await client.auth.signInWithPassword(who)
  return { client, id: data.user?.id as string }
}

describe('storage', () => {
  it("uploads into your own folder and refuses others' with Storage's error shape", async () => {
    const { client, id } = await signIn(ada)
    const ok = await client.storage
      .from('docs')
      .upload(`${id}/hello.txt`, Buffer.from('hi'), { contentType: 'text/plain' })
    expect(ok.error).toBeNull()
    expect(ok.data?.path).toBe(`${id}/hello.txt`)
    const denied = await client.storage
      .from('docs')
      .upload(`someone-else/hello.txt`, Buffer.from('hi'), { contentType: 'text/plain' })
    expect(denied.error).toMatchObject({
      status: 400,
      statusCode: '403',
      message: 'new row violates row-level security policy',
    })
    const anon = await stack
      .client()
      .storage.from('docs')
      .upload(`${id}/anon.txt`, Buffer.from('x'), { contentType: 'text/plain' })
    expect(anon.error).toMatchObject({ statusCode: '403' })
  })

  it('refuses a duplicate without upsert and overwrites with it', async () => {
    const { client, id } = await signIn(ada)
    const path = `${id}/dup.txt`
    await client.storage
      .from('docs')
      .upload(path, Buffer.from('one'), { contentType: 'text/plain' })
    const again = await client.storage
      .from('docs')
      .upload(path, Buffer.from('two'), { contentType: 'text/plain' })
    expect(again.error).toMatchObject({ statusCode: '409', message: 'The resource already exists' })
    await client.storage
      .from('docs')
      .upload(path, Buffer.from('two'), { contentType: 'text/plain', upsert: true })
    expect(await (await client.storage.from('docs').download(path)).data?.text()).toBe('two')
  })

  it('downloads only what the select policy allows', async () => {
    const owner = await signIn(ada)
    const other = await signIn(bob)
    const path = `${owner.id}/hello.txt`
    expect((await owner.client.storage.from('docs').download(path)).data).not.toBeNull()
    const denied = await other.client.storage.from('docs').download(path)
    expect(denied.data).toBeNull()
    expect(denied.error).not.toBeNull()
    expect(
      (await stack.client(stack.serviceRoleKey).storage.from('docs').download(path)).data,
    ).not.toBeNull()
  })

  it('lists a folder, reports info and existence', async () => {
    const { client, id } = await signIn(ada)
    const listed = await client.storage.from('docs').list(id)
    expect(listed.data?.map((o) => o.name).sort()).toEqual(['dup.txt', 'hello.txt'])
    const info = await client.storage.from('docs').info(`${id}/hello.txt`)
    expect(info.data).toMatchObject({ size: 2, contentType: 'text/plain' })
    expect((await client.storage.from('docs').exists(`${id}/hello.txt`)).data).toBe(true)
    expect((await client.storage.from('docs').exists(`${id}/missing.txt`)).data).toBe(false)
    expect((await (await signIn(bob)).client.storage.from('docs').list(id)).data).toEqual([])
  })

  it('signs URLs that work until they expire', async () => {
    const { client, id } = await signIn(ada)
    const signed = await client.storage.from('docs').createSignedUrl(`${id}/hello.txt`, 60)
    expect(signed.error).toBeNull()
    expect(await (await fetch(signed.data?.signedUrl as string)).text()).toBe('hi')
    const short = await client.storage.from('docs').createSignedUrl(`${id}/hello.txt`, 1)
    await new Promise((resolve) => setTimeout(resolve, 2100))
    const expired = await fetch(short.data?.signedUrl as string)
    expect(expired.status).toBe(400)
    expect(await expired.json()).toMatchObject({
      statusCode: '400',
      message: 'The provided token has expired.',
    })
    const tampered = String(signed.data?.signedUrl).replace('hello.txt', 'dup.txt')
    expect((await fetch(tampered)).status).toBe(400)
  })

  it('uploads through a signed upload URL', async () => {
    const { client, id } = await signIn(ada)
    const ticket = await client.storage.from('docs').createSignedUploadUrl(`${id}/via-ticket.txt`)
    expect(ticket.error).toBeNull()
    const anon = stack.client()
    const uploaded = await anon.storage
      .from('docs')
      .uploadToSignedUrl(
        `${id}/via-ticket.txt`,
        ticket.data?.token as string,
        Buffer.from('ticket'),
        { contentType: 'text/plain' },
      )
    expect(uploaded.error).toBeNull()
    expect(
      await (await client.storage.from('docs').download(`${id}/via-ticket.txt`)).data?.text(),
    ).toBe('ticket')
  })

  it('moves, copies and removes', async () => {
    const { client, id } = await signIn(ada)
    expect(
      (await client.storage.from('docs').move(`${id}/via-ticket.txt`, `${id}/moved.txt`)).error,
    ).toBeNull()
    expect(
      (await client.storage.from('docs').copy(`${id}/moved.txt`, `${id}/copied.txt`)).error,
    ).toBeNull()
    expect(
      await (await client.storage.from('docs').download(`${id}/copied.txt`)).data?.text(),
    ).toBe('ticket')
    const bobRemove = await (await signIn(bob)).client.storage
      .from('docs')
      .remove([`${id}/copied.txt`])
    expect(bobRemove.data).toEqual([])
    const removed = await client.storage
      .from('docs')
      .remove([`${id}/copied.txt`, `${id}/moved.txt`])
    expect(removed.data?.map((o) => o.name).sort()).toEqual([`${id}/copied.txt`, `${id}/moved.txt`])
    expect((await client.storage.from('docs').download(`${id}/moved.txt`)).error).not.toBeNull()
  })

  it('enforces the bucket size and MIME limits', async () => {
    const { client, id } = await signIn(ada)
    const big = await client.storage
      .from('docs')
      .upload(`${id}/big.bin`, Buffer.alloc(1048577), { contentType: 'application/octet-stream' })
    expect(big.error).toMatchObject({ statusCode: '413' })
    const wrongType = await client.storage
      .from('docs')
      .upload(`${id}/x.pdf`, Buffer.from('%PDF'), { contentType: 'application/pdf' })
    expect(wrongType.error).toMatchObject({
      statusCode: '415',
      message: 'mime type application/pdf is not supported',
    })
    const image = await client.storage
      .from('docs')
      .upload(`${id}/x.png`, Buffer.from('png'), { contentType: 'image/png' })
    expect(image.error).toBeNull()
  })

  it('serves public buckets without a session, and manages buckets as the service role', async () => {
    const service = stack.client(stack.serviceRoleKey)
    await service.storage
      .from('pub')
      .upload('logo.txt', Buffer.from('public!'), { contentType: 'text/plain' })
    const url = stack.client().storage.from('pub').getPublicUrl('logo.txt').data.publicUrl
    expect(await (await fetch(url)).text()).toBe('public!')
    expect((await service.storage.createBucket('made', { public: false })).error).toBeNull()
    expect((await service.storage.getBucket('made')).data).toMatchObject({
      id: 'made',
      public: false,
    })
    // The migrations' buckets (record files, organization logos, user avatars) and this test's.
    expect((await service.storage.listBuckets()).data?.map((b) => b.id).sort()).toEqual([
      'avatars',
      'deals',
      'docs',
      'logos',
      'made',
      'pub',
    ])
    expect((await service.storage.deleteBucket('made')).error).toBeNull()
    const userBucket = await (await signIn(ada)).client.storage.createBucket('mine')
    expect(userBucket.error).toMatchObject({ statusCode: '403' })
  })

  it('answers 413 to a streamed (chunked) upload that grows past the limit, and keeps serving', async () => {
    const { client, id } = await signIn(ada)
    const token = (await client.auth.getSession()).data.session?.access_token as string
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 2) return controller.close()
        sent++
        controller.enqueue(new Uint8Array(768 * 1024))
      },
    })
    const response = await fetch(`${stack.url}/storage/v1/object/docs/${id}/chunked.bin`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        apikey: stack.anonKey,
        'content-type': 'application/octet-stream',
      },
      body,
      duplex: 'half',
    } as RequestInit)
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({
      statusCode: '413',
      message: 'The object exceeded the maximum allowed size',
    })
    expect((await client.storage.from('docs').exists(`${id}/chunked.bin`)).data).toBe(false)
    expect((await client.storage.from('docs').exists(`${id}/hello.txt`)).data).toBe(true)
  })

  it('refuses malformed keys', async () => {
    const { client, id } = await signIn(ada)
    const control = await client.storage
      .from('docs')
      .upload(`${id}/bad\u0001name.txt`, Buffer.from('x'), { contentType: 'text/plain' })
    expect(control.error).toMatchObject({
      statusCode: '400',
      message: `Invalid key: ${id}/bad\u0001name.txt`,
    })
  })

  it('streams a 20 MB upload and download without buffering it', async () => {
    const service = stack.client(stack.serviceRoleKey)
    await service.storage.createBucket('large', { public: false })
    const payload = Buffer.alloc(20 * 1024 * 1024, 7)
    const before = process.memoryUsage().rss
    const up = await service.storage
      .from('large')
      .upload('big.bin', payload, { contentType: 'application/octet-stream' })
    expect(up.error).toBeNull()
    const down = await service.storage.from('large').download('big.bin')
    expect(down.data?.size).toBe(payload.length)
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024)
  })
})
