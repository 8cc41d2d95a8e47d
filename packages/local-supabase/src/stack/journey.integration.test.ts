import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStack, type TestStack } from '#src/testing/index.ts'

// The whole path an app takes, through supabase-js only.
let stack: TestStack
beforeAll(async () => {
  stack = await createTestStack()
})
afterAll(() => stack.close())

describe('a tenant from provisioning to a stored file', () => {
  let token: string
  let orgId: string
  let dealId: string

  it('provisions a tenant with the service key', async () => {
    const service = stack.client(stack.serviceRoleKey)
    const { data, error } = await service.rpc('provision_tenant', {
      p_name: 'Journey',
      p_slug: 'journey',
      p_admin_email: 'admin@journey.test',
    })
    expect(error).toBeNull()
    token = data.invitation_token
    orgId = data.organization_id
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it("refuses a sign-up without an invitation with GoTrue's answer", async () => {
    const { data, error } = await stack
      .client()
      .auth.signUp({ email: 'stranger@journey.test', password: 'password123' })
    expect(data.session).toBeNull()
    expect(error?.status).toBe(500)
    expect(error?.message).toBe('Database error saving new user')
  })

  it('signs the invited admin up, with the hook claims in the access token', async () => {
    const client = stack.client()
    const details = await client.rpc('get_invitation_details', { p_token: token })
    expect(details.data[0]).toMatchObject({
      email: 'admin@journey.test',
      organization_name: 'Journey',
      status: 'pending',
    })
    const { data, error } = await client.auth.signUp({
      email: 'admin@journey.test',
      password: 'password123',
      options: { data: { invitation_token: token } },
    })
    expect(error).toBeNull()
    const claims = decodeJwt(data.session?.access_token as string)
    expect(claims).toMatchObject({
      tenant_id: orgId,
      role: 'authenticated',
      email: 'admin@journey.test',
    })
    expect((claims.permissions as string[]).includes('deals.create')).toBe(true)
  })

  it('creates a deal, uploads and downloads its file', async () => {
    const client = stack.client()
    await client.auth.signInWithPassword({ email: 'admin@journey.test', password: 'password123' })
    const deal = await client.rpc('create_deal', {
      p_org_id: orgId,
      p_title: 'First deal',
      p_visibility: 'private',
    })
    expect(deal.error).toBeNull()
    dealId = deal.data.id
    const path = `${orgId}/${dealId}/notes.txt`
    const upload = await client.storage
      .from('deals')
      .upload(path, Buffer.from('hello deal'), { contentType: 'text/plain' })
    expect(upload.error).toBeNull()
    const download = await client.storage.from('deals').download(path)
    expect(download.error).toBeNull()
    expect(await download.data?.text()).toBe('hello deal')
  })

  it('keeps the file from anonymous callers and other users', async () => {
    const path = `${orgId}/${dealId}/notes.txt`
    const anon = await stack.client().storage.from('deals').download(path)
    expect(anon.error).not.toBeNull()
  })
})
