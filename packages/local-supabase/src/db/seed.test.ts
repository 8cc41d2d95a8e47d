import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '#src/repo-root.ts'
import { createTestStack, type TestStack } from '#src/testing/index.ts'

let stack: TestStack
beforeAll(async () => {
  stack = await createTestStack()
  // Applied as postgres, like `supabase db reset` does after the migrations.
  const seed = await readFile(path.join(repoRoot(), 'supabase', 'seed.sql'), 'utf8')
  await stack.db.tx(async (q) => {
    await q(seed)
  })
})
afterAll(() => stack.close())

describe('supabase/seed.sql', () => {
  it('creates demo accounts that sign in with their organization', async () => {
    const client = stack.client()
    const { data, error } = await client.auth.signInWithPassword({
      email: 'sales@acme.test',
      password: 'password123',
    })
    expect(error).toBeNull()
    expect(data.session?.access_token).toBeTypeOf('string')
    const { data: orgs } = await client.rpc('list_my_organizations')
    expect(orgs.map((o: { name: string; role: string }) => [o.name, o.role])).toEqual([
      ['Acme', 'sales'],
    ])
  })

  it('shows each demo user the deals the access engine allows', async () => {
    const titles = async (email: string) => {
      const client = stack.client()
      await client.auth.signInWithPassword({ email, password: 'password123' })
      const { data } = await client.rpc('list_deals', {
        p_org_id: '0a000000-0000-4000-8000-00000000000a',
      })
      return data.map((d: { title: string }) => d.title).sort()
    }
    expect(await titles('sales@acme.test')).toEqual([
      'Anvil bulk order',
      'Road runner tracker',
      'Wile E. rockets',
    ])
    expect(await titles('manager@acme.test')).toEqual(['Road runner tracker', 'Wile E. rockets'])
    expect(await titles('owner@globex.test')).toEqual([])
  })

  it('creates a platform admin who operates every tenant and belongs to none', async () => {
    const admin = stack.client()
    const signIn = await admin.auth.signInWithPassword({
      email: 'admin@tenantbase.test',
      password: 'password123',
    })
    expect(signIn.error).toBeNull()
    const { data: orgs, error } = await admin.rpc('platform_list_organizations')
    expect(error).toBeNull()
    expect(orgs.map((o: { slug: string }) => o.slug).sort()).toEqual(['acme', 'globex'])
    const { data: mine } = await admin.rpc('list_my_organizations')
    expect(mine).toEqual([])

    const owner = stack.client()
    await owner.auth.signInWithPassword({ email: 'owner@acme.test', password: 'password123' })
    const refused = await owner.rpc('platform_list_organizations')
    expect(refused.error?.code).toBe('42501')
    expect(refused.error?.message).toBe('Platform admins only')
  })
})
