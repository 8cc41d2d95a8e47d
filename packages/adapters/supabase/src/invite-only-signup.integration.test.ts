import { createTestStack, type TestStack } from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The invite-only triggers on auth.users, driven by the Auth API as an app drives it: the
// invitation binds to a confirmed address, so an invited account joins when it confirms.
let stack: TestStack
beforeAll(async () => {
  stack = await createTestStack()
})
afterAll(() => stack.close())

const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'))

describe('invite-only sign-up through the Auth API', () => {
  it('joins an invited account to its organization when the invite link confirms its email', async () => {
    const service = stack.client(stack.serviceRoleKey)
    const { data: tenant, error } = await service.rpc('provision_tenant', {
      p_name: 'Linked',
      p_slug: 'linked',
      p_admin_email: 'admin@linked.test',
    })
    expect(error).toBeNull()
    const invited = await service.auth.admin.inviteUserByEmail('admin@linked.test', {
      data: { invitation_token: tenant.invitation_token },
    })
    expect(invited.error).toBeNull()
    const state = () =>
      stack.db.query(
        `select u.email_confirmed_at is not null as confirmed,
           (select count(*)::int from core.memberships m where m.user_id = u.id) as memberships,
           (select status from core.invitations where id = $2) as invitation
         from auth.users u where u.email = $1`,
        ['admin@linked.test', tenant.invitation_id],
      )
    // The account exists, unconfirmed: nobody has proved they own the address yet.
    expect(await state()).toEqual([{ confirmed: false, memberships: 0, invitation: 'pending' }])

    const inbox = (await (await fetch(`${stack.mailUrl}/api/v1/messages`)).json()) as {
      messages: { ID: string }[]
    }
    const message = await (
      await fetch(`${stack.mailUrl}/api/v1/message/${inbox.messages[0]?.ID}`)
    ).text()
    const link = /https?:\/\/[^"'\\\s<>]+\/auth\/v1\/verify\?[^"'\\\s<>]+/
      .exec(message)?.[0]
      ?.replaceAll('\\u0026', '&')
      .replaceAll('&amp;', '&')
    expect(link).toContain('type=invite')
    const followed = await fetch(link as string, { redirect: 'manual' })
    const fragment = new URLSearchParams(
      new URL(followed.headers.get('location') as string).hash.slice(1),
    )
    expect(claimsOf(fragment.get('access_token') as string)).toMatchObject({
      email: 'admin@linked.test',
      tenant_id: tenant.organization_id,
      role_id: tenant.root_role_id,
    })
    expect(await state()).toEqual([{ confirmed: true, memberships: 1, invitation: 'accepted' }])
  })
})
