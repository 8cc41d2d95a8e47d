import { createTestDatabase, type TestDatabase } from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createRole, createTenant, type Tenant } from './factories.ts'

describe.each(['supabase', 'payload'] as const)('invitations (%s)', (adapter) => {
  let db: TestDatabase
  let t: Tenant
  let member: string
  beforeAll(async () => {
    db = await createTestDatabase({ adapter })
    t = await createTenant(db, 'Invites')
    member = await createRole(db, t, 'member', t.rootRoleId, ['deals.read'])
  })
  afterAll(() => db.close())

  const invite = (email: string, orgId = t.orgId, roleId = member) =>
    db
      .as(t.owner)
      .query<{ id: string; token: string; email: string }>(
        'select * from public.create_invitation($1, $2, $3)',
        [email, orgId, roleId],
      )

  it('returns the token once and stores only its hash', async () => {
    const [inv] = await invite('Hash@Example.com')
    expect(inv?.email).toBe('hash@example.com')
    expect(inv?.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const [stored] = await db.query('select token_hash from core.invitations where id = $1', [
      inv?.id,
    ])
    expect(stored?.token_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(stored?.token_hash).not.toContain(inv?.token)
  })

  it('shows anon what the sign-up page needs, by token only', async () => {
    const [inv] = await invite('details@example.com')
    expect(
      await db
        .as('anon')
        .query(
          'select email, organization_name, role_name, status from public.get_invitation_details($1)',
          [inv?.token],
        ),
    ).toEqual([
      {
        email: 'details@example.com',
        organization_name: 'Invites',
        role_name: 'member',
        status: 'pending',
      },
    ])
    await expect(
      db.as('anon').query('select * from public.get_invitation_details($1)', ['A'.repeat(43)]),
    ).rejects.toMatchObject({ code: 'PT404', message: 'Invitation not found' })
    await expect(
      db.as('anon').query('select * from public.get_invitation_details($1)', ['short']),
    ).rejects.toMatchObject({
      code: '22023',
      message: 'Invalid invitation token',
    })
    await expect(db.as('anon').query('select * from core.invitations')).rejects.toMatchObject({
      code: '42501',
    })
  })

  it('is single use and checks the account email, not just knowledge of it', async () => {
    const [inv] = await invite('single@example.com')
    const wrong = await db.createUser({ email: 'someone-else@example.com' })
    await expect(
      db.as(wrong).query('select * from public.accept_invitation($1)', [inv?.token]),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'This invitation was sent to another email address',
    })
    const right = await db.createUser({ email: 'single@example.com' })
    const [accepted] = await db
      .as(right)
      .query('select organization_id, role_id from public.accept_invitation($1)', [inv?.token])
    expect(accepted).toEqual({ organization_id: t.orgId, role_id: member })
    await expect(
      db.as(right).query('select * from public.accept_invitation($1)', [inv?.token]),
    ).rejects.toMatchObject({
      code: 'P0001',
      message: 'This invitation is accepted',
    })
  })

  it('expires after 7 days and can be resent with a new token', async () => {
    const [inv] = await invite('late@example.com')
    await db.query(
      `update core.invitations set expires_at = now() - interval '1 minute' where id = $1`,
      [inv?.id],
    )
    const late = await db.createUser({ email: 'late@example.com' })
    await expect(
      db.as(late).query('select * from public.accept_invitation($1)', [inv?.token]),
    ).rejects.toMatchObject({
      code: 'P0001',
      message: 'This invitation is expired',
    })
    const [again] = await db
      .as(t.owner)
      .query('select token, expires_at from public.resend_invitation($1)', [inv?.id])
    expect(again?.token).not.toBe(inv?.token)
    await expect(
      db.as(late).query('select * from public.accept_invitation($1)', [inv?.token]),
    ).rejects.toMatchObject({
      code: 'PT404',
    })
    await db.as(late).query('select * from public.accept_invitation($1)', [again?.token])
  })

  it('allows one pending invitation per email per organization, and the same email in two organizations', async () => {
    await invite('twice@example.com')
    await expect(invite('TWICE@example.com')).rejects.toMatchObject({
      code: '23505',
      message: 'A pending invitation for twice@example.com already exists in this organization',
    })
    const other = await createTenant(db, 'Other')
    const [inv] = await db
      .as(other.owner)
      .query('select email from public.create_invitation($1, $2, $3)', [
        'twice@example.com',
        other.orgId,
        await createRole(db, other, 'm', other.rootRoleId),
      ])
    expect(inv?.email).toBe('twice@example.com')
  })

  it('cancels: a revoked invitation cannot be accepted', async () => {
    const [inv] = await invite('cancel@example.com')
    await db.as(t.owner).query('select public.cancel_invitation($1)', [inv?.id])
    const user = await db.createUser({ email: 'cancel@example.com' })
    await expect(
      db.as(user).query('select * from public.accept_invitation($1)', [inv?.token]),
    ).rejects.toMatchObject({
      code: 'P0001',
      message: 'This invitation is revoked',
    })
  })

  it("invite_user_to_organization invites into the role's organization and adds nobody", async () => {
    const existing = await db.createUser({ email: 'existing@example.com' })
    const [inv] = await db
      .as(t.owner)
      .query('select * from public.invite_user_to_organization($1, $2)', [
        'existing@example.com',
        member,
      ])
    expect(inv?.email).toBe('existing@example.com')
    expect(
      await db.query('select count(*)::int as n from core.memberships where user_id = $1', [
        existing.id,
      ]),
    ).toEqual([{ n: 0 }])
  })

  it('resends and cancels only for callers who may invite to that role now (the rule of create)', async () => {
    // lead and coordinator both hold members.invite; only lead is above agent.
    const lead = await createRole(db, t, 'lead', t.rootRoleId, ['members.invite', 'deals.read'])
    const agent = await createRole(db, t, 'agent', lead)
    const coordinator = await createRole(db, t, 'coordinator', t.rootRoleId, ['members.invite'])
    const alice = await addMember(db, t, lead, 'alice')
    const plain = await addMember(db, t, agent, 'plain')
    const stranger = (await createTenant(db, 'Stranger')).owner
    const [inv] = await db
      .as(alice)
      .query('select id, token from public.create_invitation($1, $2, $3)', [
        'rekey@example.com',
        t.orgId,
        agent,
      ])
    // Alice is moved beside the invitation's role: she may no longer invite to it.
    await db
      .as(t.owner)
      .query('select public.update_member_role($1, $2, $3)', [t.orgId, alice.id, coordinator])
    for (const call of [
      'select * from public.resend_invitation($1)',
      'select public.cancel_invitation($1)',
    ]) {
      await expect(db.as(alice).query(call, [inv?.id])).rejects.toMatchObject({
        code: '42501',
        message: 'You can only invite people to roles below your own',
      })
      await expect(db.as(plain).query(call, [inv?.id])).rejects.toMatchObject({
        code: '42501',
        message: 'Missing permission members.invite',
      })
      await expect(db.as(stranger).query(call, [inv?.id])).rejects.toMatchObject({
        code: 'PT404',
        message: 'Invitation not found',
      })
    }
    // Nothing changed: the original token still works for the invited person.
    expect(await db.query('select status from core.invitations where id = $1', [inv?.id])).toEqual([
      { status: 'pending' },
    ])
    const invited = await db.createUser({ email: 'rekey@example.com' })
    await db.as(invited).query('select * from public.accept_invitation($1)', [inv?.token])
  })

  it('lists invitations for inviters only', async () => {
    const rows = await db
      .as(t.owner)
      .query(
        'select email, status, invited_by, invited_by_email from public.list_invitations($1, $2)',
        [t.orgId, 'revoked'],
      )
    expect(rows).toEqual([
      {
        email: 'cancel@example.com',
        status: 'revoked',
        invited_by: t.owner.id,
        invited_by_email: t.owner.email,
      },
    ])
    // SMTA's name for the same status.
    expect(
      await db
        .as(t.owner)
        .query('select email from public.list_invitations($1, $2)', [t.orgId, 'cancelled']),
    ).toEqual([{ email: 'cancel@example.com' }])
    await expect(
      db.as(t.owner).query('select * from public.list_invitations($1, $2)', [t.orgId, 'bogus']),
    ).rejects.toMatchObject({
      code: '22023',
      message: 'Invalid status bogus: use pending, accepted, revoked (or cancelled) or expired',
    })
  })
})

// Supabase: the account's email counts only once confirmed (auth.users.email with
// email_confirmed_at set). GoTrue keeps a requested change in email_change until it is confirmed.
describe('invitations are bound to a confirmed email (supabase)', () => {
  let db: TestDatabase
  let t: Tenant
  let member: string
  beforeAll(async () => {
    db = await createTestDatabase()
    t = await createTenant(db, 'Confirmed')
    member = await createRole(db, t, 'member', t.rootRoleId)
  })
  afterAll(() => db.close())

  const invite = async (email: string) =>
    (
      await db
        .as(t.owner)
        .query<{ id: string; token: string }>(
          'select id, token from public.create_invitation($1, $2, $3)',
          [email, t.orgId, member],
        )
    )[0] as { id: string; token: string }
  const membershipsOf = (userId: string) =>
    db.query('select role_id from core.memberships where user_id = $1 and organization_id = $2', [
      userId,
      t.orgId,
    ])

  it('refuses an account whose email was never confirmed', async () => {
    const inv = await invite('unconfirmed@example.com')
    const user = await db.createUser({ email: 'unconfirmed@example.com' })
    await db.asAuthAdmin.query('update auth.users set email_confirmed_at = null where id = $1', [
      user.id,
    ])
    await expect(
      db.as(user).query('select * from public.accept_invitation($1)', [inv.token]),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'Confirm your email address before accepting an invitation',
    })
    expect(await membershipsOf(user.id)).toEqual([])
    await db.asAuthAdmin.query('update auth.users set email_confirmed_at = now() where id = $1', [
      user.id,
    ])
    await db.as(user).query('select * from public.accept_invitation($1)', [inv.token])
    expect(await membershipsOf(user.id)).toEqual([{ role_id: member }])
  })

  it('ignores a pending email change to the invited address until it is confirmed', async () => {
    const inv = await invite('target@example.com')
    const user = await db.createUser({ email: 'switcher@example.com' })
    // What GoTrue stores for updateUser({ email }) with secure email change: the address waits
    // in email_change with its tokens; auth.users.email stays the confirmed one.
    await db.asAuthAdmin.query(
      `update auth.users set email_change = 'target@example.com', email_change_token_new = 'a1',
         email_change_token_current = 'b2', email_change_sent_at = now() where id = $1`,
      [user.id],
    )
    await expect(
      db.as(user).query('select * from public.accept_invitation($1)', [inv.token]),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'This invitation was sent to another email address',
    })
    expect(await membershipsOf(user.id)).toEqual([])
    // Confirmed (GoTrue's ConfirmEmailChange): the new address becomes the account's email.
    await db.asAuthAdmin.query(
      `update auth.users set email = email_change, email_change = '', email_change_token_new = '',
         email_change_token_current = '' where id = $1`,
      [user.id],
    )
    await db.as(user).query('select * from public.accept_invitation($1)', [inv.token])
    expect(await membershipsOf(user.id)).toEqual([{ role_id: member }])
  })
})
