import { createTestDatabase, type TestDatabase } from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createRole, createTenant, type Tenant } from './factories.ts'

let db: TestDatabase
let t: Tenant
let member: string
beforeAll(async () => {
  db = await createTestDatabase()
  t = await createTenant(db, 'Signup')
  member = await createRole(db, t, 'member', t.rootRoleId, ['deals.read', 'deals.create'])
})
afterAll(() => db.close())

// GoTrue inserts new users as supabase_auth_admin, whose search_path is auth.
// `confirmed` inserts the account with its email confirmed (an autoconfirming Auth server).
const signUp = (email: string, metadata: Record<string, unknown>, confirmed = false) =>
  db.asAuthAdmin.query(
    `insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
     values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $1,
       case when $3 then now() end, $2, '{}', now(), now())
     returning id`,
    [email, JSON.stringify(metadata), confirmed],
  )

describe('invite-only sign-up', () => {
  it('refuses a new auth user without an invitation', async () => {
    await expect(signUp('nobody@example.com', {})).rejects.toMatchObject({
      code: '42501',
      message: 'Sign-up requires an invitation',
    })
  })

  it('admits a user with a valid token for their email, creating membership and profile in the same transaction', async () => {
    const [inv] = await db
      .as(t.owner)
      .query('select token from public.create_invitation($1, $2, $3)', [
        'New@Example.com',
        t.orgId,
        member,
      ])
    const [user] = await signUp('new@example.com', { invitation_token: inv?.token }, true)
    expect(
      await db.query(
        `select m.role_id, um.email, um.active_organization_id, i.status, i.accepted_by
         from core.memberships m join core.users_meta um on um.user_id = m.user_id
         join core.invitations i on i.accepted_by = m.user_id where m.user_id = $1`,
        [user?.id],
      ),
    ).toEqual([
      {
        role_id: member,
        email: 'new@example.com',
        active_organization_id: t.orgId,
        status: 'accepted',
        accepted_by: user?.id,
      },
    ])
  })

  it('creates the membership only once the email is confirmed (GoTrue confirms after inserting)', async () => {
    const [inv] = await db
      .as(t.owner)
      .query('select id, token from public.create_invitation($1, $2, $3)', [
        'later@example.com',
        t.orgId,
        member,
      ])
    const [user] = await signUp('later@example.com', { invitation_token: inv?.token })
    const state = () =>
      db.query(
        `select (select count(*)::int from core.memberships m where m.user_id = $1) as memberships,
           (select status from core.invitations where id = $2) as status`,
        [user?.id, inv?.id],
      )
    expect(await state()).toEqual([{ memberships: 0, status: 'pending' }])
    await db.asAuthAdmin.query('update auth.users set email_confirmed_at = now() where id = $1', [
      user?.id,
    ])
    expect(await state()).toEqual([{ memberships: 1, status: 'accepted' }])
  })

  it('admits a user inserted already confirmed, and one confirmed in the same transaction', async () => {
    const token = async (email: string) =>
      (
        await db
          .as(t.owner)
          .query('select token from public.create_invitation($1, $2, $3)', [email, t.orgId, member])
      )[0]?.token
    const [direct] = await db.asAuthAdmin.query(
      `insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
       values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $1, now(), $2, '{}', now(), now())
       returning id`,
      [
        'direct@example.com',
        JSON.stringify({ invitation_token: await token('direct@example.com') }),
      ],
    )
    const autoconfirmToken = await token('auto@example.com')
    const auto = await db.asAuthAdmin.tx(async (q) => {
      const [row] = await q(
        `insert into auth.users (instance_id, id, aud, role, email, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
         values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $1, $2, '{}', now(), now())
         returning id`,
        ['auto@example.com', JSON.stringify({ invitation_token: autoconfirmToken })],
      )
      await q(
        `update auth.users set email_confirmed_at = now(), confirmation_token = '' where id = $1`,
        [row?.id],
      )
      return row
    })
    expect(
      await db.query(
        'select user_id from core.memberships where user_id = any ($1) order by created_at',
        [[direct?.id, auto?.id]],
      ),
    ).toEqual([{ user_id: direct?.id }, { user_id: auto?.id }])
  })

  it('confirms an account whose invitation was revoked meanwhile, without a membership', async () => {
    const [inv] = await db
      .as(t.owner)
      .query('select id, token from public.create_invitation($1, $2, $3)', [
        'revoked-later@example.com',
        t.orgId,
        member,
      ])
    const [user] = await signUp('revoked-later@example.com', { invitation_token: inv?.token })
    await db.as(t.owner).query('select public.cancel_invitation($1)', [inv?.id])
    await db.asAuthAdmin.query('update auth.users set email_confirmed_at = now() where id = $1', [
      user?.id,
    ])
    expect(
      await db.query('select count(*)::int as n from core.memberships where user_id = $1', [
        user?.id,
      ]),
    ).toEqual([{ n: 0 }])
  })

  it('keeps sign-up invite-only when people may create organizations', async () => {
    await db.query(
      `update platform.platform_settings set value = 'true' where key = 'allow_organization_creation'`,
    )
    try {
      await expect(signUp('creator@example.com', {}, true)).rejects.toMatchObject({
        code: '42501',
        message: 'Sign-up requires an invitation',
      })
    } finally {
      await db.query(
        `update platform.platform_settings set value = 'false' where key = 'allow_organization_creation'`,
      )
    }
  })

  it('refuses a token issued for another email, and a used token', async () => {
    const [inv] = await db
      .as(t.owner)
      .query('select token from public.create_invitation($1, $2, $3)', [
        'owner-of-token@example.com',
        t.orgId,
        member,
      ])
    await expect(
      signUp('thief@example.com', { invitation_token: inv?.token }),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'This invitation was sent to another email address',
    })
    await signUp('owner-of-token@example.com', { invitation_token: inv?.token }, true)
    await expect(
      signUp('second@example.com', { invitation_token: inv?.token }),
    ).rejects.toMatchObject({
      code: 'P0001',
      message: 'This invitation is accepted',
    })
  })

  it('admits users without invitation when the platform allows self-service sign-up', async () => {
    await db.query(
      `update platform.platform_settings set value = 'true' where key = 'allow_self_service_signup'`,
    )
    try {
      const [user] = await signUp('Self@Example.com', {}, true)
      expect(
        await db.query(
          `select um.email, (select count(*)::int from core.memberships m where m.user_id = um.user_id) as memberships
           from core.users_meta um where um.user_id = $1`,
          [user?.id],
        ),
      ).toEqual([{ email: 'self@example.com', memberships: 0 }])
    } finally {
      await db.query(
        `update platform.platform_settings set value = 'false' where key = 'allow_self_service_signup'`,
      )
    }
    await expect(signUp('self-again@example.com', {})).rejects.toMatchObject({
      code: '42501',
      message: 'Sign-up requires an invitation',
    })
  })
})

describe('claims hook', () => {
  const hook = (userId: string, claims: Record<string, unknown> = {}) =>
    db.asAuthAdmin.query(
      `select public.custom_access_token_hook(jsonb_build_object('user_id', $1::text, 'claims', $2::jsonb, 'authentication_method', 'password')) as r`,
      [userId, JSON.stringify(claims)],
    )

  it('adds tenant, role, subordinates, permissions and authz_version, keeping standard claims', async () => {
    const user = await addMember(db, t, member, 'claims')
    const [row] = await hook(user.id, {
      sub: user.id,
      role: 'authenticated',
      aud: 'authenticated',
      email: user.email,
    })
    expect(row?.r.claims).toMatchObject({
      sub: user.id,
      role: 'authenticated',
      aud: 'authenticated',
      email: user.email,
      tenant_id: t.orgId,
      role_id: member,
      subordinate_role_ids: [],
      permissions: ['deals.create', 'deals.read'],
    })
    expect(row?.r.claims.authz_version).toBeGreaterThan(0)
  })

  it('gives a user without membership the standard claims only, and drops forged ones', async () => {
    const loner = await db.createUser({ email: 'loner@example.com' })
    const [row] = await hook(loner.id, {
      sub: loner.id,
      role: 'authenticated',
      tenant_id: t.orgId,
      permissions: ['x.y'],
    })
    expect(row?.r.claims).toEqual({ sub: loner.id, role: 'authenticated' })
  })

  it('follows the active organization and bumps authz_version on every access change', async () => {
    const user = await addMember(db, t, member, 'switcher')
    const other = await createTenant(db, 'Second')
    const [inv] = await db
      .as(other.owner)
      .query('select token from public.create_invitation($1, $2, $3)', [
        user.email,
        other.orgId,
        await createRole(db, other, 'guest', other.rootRoleId),
      ])
    await db.as(user).query('select * from public.accept_invitation($1)', [inv?.token])
    const version = async () =>
      (await db.as(user).query('select public.get_authz_version() as v'))[0]?.v
    const before = Number(await version())
    await db.as(user).query('select public.set_active_organization($1)', [other.orgId])
    const [row] = await hook(user.id)
    expect(row?.r.claims.tenant_id).toBe(other.orgId)
    expect(Number(await version())).toBeGreaterThan(before)
    const mid = Number(await version())
    await db
      .as(t.owner)
      .query('select public.set_role_permissions($1, $2)', [member, ['deals.read']])
    expect(Number(await version())).toBeGreaterThan(mid)
    await expect(
      db
        .as(user)
        .query('select public.set_active_organization($1)', [
          (await createTenant(db, 'Nope')).orgId,
        ]),
    ).rejects.toMatchObject({
      code: '42501',
      message: 'You are not a member of this organization',
    })
  })

  it("never puts a role of another organization in anyone's claims", async () => {
    // Dana leads in Left (with two roles below her) and is a guest in Right (one role below).
    const left = await createTenant(db, 'Left')
    const right = await createTenant(db, 'Right')
    const lead = await createRole(db, left, 'lead', left.rootRoleId, ['deals.read'])
    const leftBelow = [
      await createRole(db, left, 'rep', lead),
      await createRole(db, left, 'intern', lead),
    ]
    const guest = await createRole(db, right, 'guest', right.rootRoleId, ['deals.create'])
    const rightBelow = [await createRole(db, right, 'visitor', guest)]
    const dana = await addMember(db, left, lead, 'dana')
    const [inv] = await db
      .as(right.owner)
      .query('select token from public.create_invitation($1, $2, $3)', [
        dana.email,
        right.orgId,
        guest,
      ])
    await db.as(dana).query('select * from public.accept_invitation($1)', [inv?.token])
    const rolesOf = async (orgId: string) =>
      (await db.query('select id from core.roles where organization_id = $1', [orgId])).map(
        (r) => r.id,
      )
    for (const [org, role, below, other, codes] of [
      [left, lead, leftBelow, right, ['deals.read']],
      [right, guest, rightBelow, left, ['deals.create']],
    ] as const) {
      await db.as(dana).query('select public.set_active_organization($1)', [org.orgId])
      const [row] = await hook(dana.id)
      const claims = row?.r.claims
      expect(claims.tenant_id).toBe(org.orgId)
      expect(claims.role_id).toBe(role)
      expect([...claims.subordinate_role_ids].sort()).toEqual([...below].sort())
      expect(claims.permissions).toEqual(codes)
      const foreign = await rolesOf(other.orgId)
      expect(
        [claims.role_id, ...claims.subordinate_role_ids].filter((id) => foreign.includes(id)),
      ).toEqual([])
    }
  })

  it('can be executed by supabase_auth_admin only', async () => {
    for (const actor of ['anon', 'service_role', t.owner] as const) {
      await expect(
        db
          .as(actor)
          .query(
            `select public.custom_access_token_hook('{"user_id":"${t.owner.id}","claims":{}}')`,
          ),
      ).rejects.toMatchObject({
        code: '42501',
        message: 'permission denied for function custom_access_token_hook',
      })
    }
  })
})
