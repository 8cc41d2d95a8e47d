import {
  createTestDatabase,
  type TestDatabase,
  type TestUser,
} from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createRole, createTenant, type Tenant } from './factories.ts'

// A plan whose features hold a number under "members" allows that many members: inviting counts
// pending invitations as taken seats, accepting (by function or by signing up) counts members.
let db: TestDatabase
let t: Tenant
let memberRole: string

const setLimit = (orgId: string, members: number | null) =>
  db
    .as('service_role')
    .query('select public.platform_set_subscription_override($1, $2, $3)', [
      orgId,
      members === null ? null : 'team',
      JSON.stringify({ members }),
    ])
const invite = (email: string, actor: TestUser = t.owner, orgId = t.orgId, role = memberRole) =>
  db
    .as(actor)
    .query<{ id: string; token: string }>(
      'select id, token from public.create_invitation($1, $2, $3)',
      [email, orgId, role],
    )
    .then((rows) => rows[0] as { id: string; token: string })
const accept = async (email: string, token: string) => {
  const user = await db.createUser({ email })
  await db.as(user).query('select * from public.accept_invitation($1)', [token])
  return user
}

beforeAll(async () => {
  db = await createTestDatabase()
  t = await createTenant(db, 'Limits')
  memberRole = await createRole(db, t, 'member', t.rootRoleId, ['members.invite'])
})
afterAll(() => db.close())

describe('member limits of a plan', () => {
  it('counts members and pending invitations when inviting, and frees a seat when one is cancelled', async () => {
    await setLimit(t.orgId, 3)
    const first = await invite('first@limits.test')
    await invite('second@limits.test')
    await expect(invite('third@limits.test')).rejects.toMatchObject({
      code: 'P0001',
      message:
        'The Team plan allows 3 members and no seat is left (members: 1, pending invitations: 2). Upgrade the plan, remove a member or cancel an invitation to invite someone else',
    })
    expect(
      await db.query('select count(*)::int as n from core.invitations where email = $1', [
        'third@limits.test',
      ]),
    ).toEqual([{ n: 0 }])
    await db.as(t.owner).query('select public.cancel_invitation($1)', [first.id])
    expect((await invite('third@limits.test')).token).toBeTypeOf('string')
  })

  it('refuses an acceptance when the members alone fill the plan, and allows it once there is room', async () => {
    const other = await createTenant(db, 'Accepting')
    const role = await createRole(db, other, 'member', other.rootRoleId)
    const a = await invite('a@accepting.test', other.owner, other.orgId, role)
    const b = await invite('b@accepting.test', other.owner, other.orgId, role)
    await setLimit(other.orgId, 2)
    await accept('a@accepting.test', a.token)
    const late = await db.createUser({ email: 'b@accepting.test' })
    await expect(
      db.as(late).query('select * from public.accept_invitation($1)', [b.token]),
    ).rejects.toMatchObject({
      code: 'P0001',
      message:
        'The Team plan of this organization allows 2 members and no seat is left. Ask an admin of the organization to upgrade the plan or make room',
    })
    expect(
      await db.query(
        'select count(*)::int as n from core.memberships where organization_id = $1 and not is_deleted',
        [other.orgId],
      ),
    ).toEqual([{ n: 2 }])
    await setLimit(other.orgId, 3)
    expect(
      await db
        .as(late)
        .query('select organization_id from public.accept_invitation($1)', [b.token]),
    ).toEqual([{ organization_id: other.orgId }])
  })

  it('applies the limit to invited sign-ups: refused at once, or left without membership on confirmation', async () => {
    const org = await createTenant(db, 'Signups')
    const role = await createRole(db, org, 'member', org.rootRoleId)
    const now = await invite('now@signups.test', org.owner, org.orgId, role)
    const later = await invite('later@signups.test', org.owner, org.orgId, role)
    await setLimit(org.orgId, 1)
    const signUp = (email: string, token: string, confirmed: boolean) =>
      db.asAuthAdmin.query<{ id: string }>(
        `insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
         values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $1,
           case when $3 then now() end, $2, '{}', now(), now()) returning id`,
        [email, JSON.stringify({ invitation_token: token }), confirmed],
      )
    await expect(signUp('now@signups.test', now.token, true)).rejects.toMatchObject({
      code: 'P0001',
      message:
        'The Team plan of this organization allows 1 member and no seat is left. Ask an admin of the organization to upgrade the plan or make room',
    })
    await setLimit(org.orgId, 2)
    const [pending] = await signUp('later@signups.test', later.token, false)
    await setLimit(org.orgId, 1)
    await db.asAuthAdmin.query('update auth.users set email_confirmed_at = now() where id = $1', [
      pending?.id,
    ])
    expect(
      await db.query(
        `select (select count(*)::int from core.memberships where user_id = $1) as memberships,
           (select status from core.invitations where id = $2) as status,
           (select email_confirmed_at is not null from auth.users where id = $1) as confirmed`,
        [pending?.id, later.id],
      ),
    ).toEqual([{ memberships: 0, status: 'pending', confirmed: true }])
  })

  it('re-issuing an expired invitation takes a seat again; re-keying a live one does not', async () => {
    const org = await createTenant(db, 'Resend')
    const role = await createRole(db, org, 'member', org.rootRoleId)
    const live = await invite('live@resend.test', org.owner, org.orgId, role)
    const stale = await invite('stale@resend.test', org.owner, org.orgId, role)
    await db.query(
      `update core.invitations set expires_at = now() - interval '1 day' where id = $1`,
      [stale.id],
    )
    await setLimit(org.orgId, 2)
    expect(
      await db.as(org.owner).query('select email from public.resend_invitation($1)', [live.id]),
    ).toEqual([{ email: 'live@resend.test' }])
    await expect(
      db.as(org.owner).query('select * from public.resend_invitation($1)', [stale.id]),
    ).rejects.toMatchObject({
      code: 'P0001',
      message:
        'The Team plan allows 2 members and no seat is left (members: 1, pending invitations: 1). Upgrade the plan, remove a member or cancel an invitation to invite someone else',
    })
  })

  it('applies to members added directly, and not at all without a limit', async () => {
    const org = await createTenant(db, 'Direct')
    const role = await createRole(db, org, 'member', org.rootRoleId)
    // Direct adds are for people who already share an organization with the caller.
    const side = await createTenant(db, 'Side')
    const sideRole = await createRole(db, side, 'member', side.rootRoleId)
    const ownerInSide = await invite(org.owner.email, side.owner, side.orgId, sideRole)
    await db.as(org.owner).query('select * from public.accept_invitation($1)', [ownerInSide.token])
    const coworker = await addMember(db, side, sideRole, 'coworker')
    await setLimit(org.orgId, 1)
    const add = () =>
      db
        .as(org.owner)
        .query('select public.add_member_to_organization($1, $2, $3)', [
          org.orgId,
          coworker.id,
          role,
        ])
    await expect(add()).rejects.toMatchObject({
      code: 'P0001',
      message:
        'The Team plan of this organization allows 1 member and no seat is left. Ask an admin of the organization to upgrade the plan or make room',
    })
    await setLimit(org.orgId, null)
    await add()
    expect(
      await db.query(
        'select count(*)::int as n from core.memberships where organization_id = $1 and not is_deleted',
        [org.orgId],
      ),
    ).toEqual([{ n: 2 }])
  })

  it('serializes invitations of one organization, so two at once cannot both take the last seat', async () => {
    const org = await createTenant(db, 'Race')
    const role = await createRole(db, org, 'member', org.rootRoleId)
    await setLimit(org.orgId, 2)
    const advisoryLocks = async (granted: boolean) =>
      (
        await db.query<{ n: number }>(
          `select count(*)::int as n from pg_catalog.pg_locks
           where locktype = 'advisory' and granted = $1
             and database = (select oid from pg_catalog.pg_database where datname = current_database())`,
          [granted],
        )
      )[0]?.n ?? 0
    const until = async (condition: () => Promise<boolean>) => {
      for (let i = 0; i < 200 && !(await condition()); i++) {
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
    }
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const first = db.as(org.owner).tx(async (q) => {
      await q('select id from public.create_invitation($1, $2, $3)', [
        'a@race.test',
        org.orgId,
        role,
      ])
      await held
    })
    await until(async () => (await advisoryLocks(true)) > 0)
    const second = invite('b@race.test', org.owner, org.orgId, role)
    const outcome = second.then(
      () => 'invited',
      (error: { code?: string; message?: string }) => `${error.code}: ${error.message}`,
    )
    await until(async () => (await advisoryLocks(false)) > 0)
    expect(await advisoryLocks(false)).toBe(1)
    release()
    await first
    expect(await outcome).toBe(
      'P0001: The Team plan allows 2 members and no seat is left (members: 1, pending invitations: 1). Upgrade the plan, remove a member or cancel an invitation to invite someone else',
    )
  })

  it('takes the free plan limit from the platform setting free_plan_features', async () => {
    const org = await createTenant(db, 'Free')
    const role = await createRole(db, org, 'member', org.rootRoleId)
    await db
      .as('service_role')
      .query(`select public.platform_set_setting('free_plan_features', '{"members": 1}')`)
    try {
      expect(
        await db
          .as(org.owner)
          .query('select plan, features from public.get_organization_plan($1)', [org.orgId]),
      ).toEqual([{ plan: 'free', features: { members: 1 } }])
      await expect(invite('one@free.test', org.owner, org.orgId, role)).rejects.toMatchObject({
        code: 'P0001',
        message:
          'The Free plan allows 1 member and no seat is left (members: 1, pending invitations: 0). Upgrade the plan, remove a member or cancel an invitation to invite someone else',
      })
      await expect(
        db
          .as('service_role')
          .query(`select public.platform_set_setting('free_plan_features', '[1]')`),
      ).rejects.toMatchObject({
        code: '22023',
        message: 'free_plan_features must be a JSON object, e.g. {"members": 3}',
      })
    } finally {
      await db
        .as('service_role')
        .query(`select public.platform_set_setting('free_plan_features', '{}')`)
    }
    expect((await invite('one@free.test', org.owner, org.orgId, role)).token).toBeTypeOf('string')
  })
})
