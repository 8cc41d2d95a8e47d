import type { SupabaseClient } from '@supabase/supabase-js'
import { createTestStack, type TestStack, type TestUser } from '@tenantbase/local-supabase/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// Every function of SMTA's public RPC reference (reference/smta-rpc.md), called as an SMTA app
// calls it: through supabase-js, with the documented argument names, as a member, as a signed-in
// non-member and as anon. Each call asserts the documented result fields and the documented
// behaviour, or the difference listed in docs/moving-from-smta.md.

const SMTA_FUNCTIONS = [
  'accept_invitation',
  'add_member_to_organization',
  'add_member_to_unit',
  'assign_user_to_unit',
  'cancel_invitation',
  'create_file',
  'create_invitation',
  'create_organization',
  'create_secret',
  'create_unit',
  'delete_file',
  'delete_organization',
  'delete_secret',
  'delete_unit',
  'get_audit_log',
  'get_file',
  'get_invitation_details',
  'get_organization',
  'get_unit',
  'get_user_organizations',
  'get_user_permissions',
  'get_user_profile',
  'get_user_role',
  'get_user_unit_permissions',
  'get_user_units',
  'invite_user_to_organization',
  'list_files',
  'list_invitations',
  'list_my_organizations',
  'list_my_units',
  'list_organization_members',
  'list_secrets',
  'list_subscription_products',
  'list_unit_members',
  'list_units',
  'remove_member_from_organization',
  'remove_member_from_unit',
  'remove_user_from_organization',
  'remove_user_from_unit',
  'resend_invitation',
  'transfer_super_admin',
  'update_file_metadata',
  'update_member_role',
  'update_organization',
  'update_organization_meta',
  'update_unit',
  'update_unit_member_role',
  'update_user_profile',
]

type Args = Record<string, unknown>
type Result = { data: unknown; error: { code?: string; message: string } | null; status: number }
type Refusal = { status: number; code: string; message?: string }
type Expectation = Refusal | 'empty' | 'null' | ((result: Result) => void)

// Documented result fields (SMTA's names); Tenantbase may add more.
const fields = {
  organization: ['id', 'name', 'description', 'role', 'role_label'],
  organizationRow: [
    'id',
    'name',
    'description',
    'created_by',
    'updated_by',
    'is_deleted',
    'deleted_at',
    'deleted_by',
    'created_at',
    'updated_at',
  ],
  member: ['user_id', 'email', 'first_name', 'last_name', 'role', 'role_label', 'is_super_admin'],
  permissions: ['role_name', 'casl_rules'],
  myUnit: ['id', 'organization_id', 'name', 'role', 'role_label'],
  unit: ['id', 'organization_id', 'name', 'description', 'created_at', 'updated_at'],
  unitMember: ['user_id', 'email', 'first_name', 'last_name', 'role', 'role_label'],
  invitationToken: ['id', 'token', 'email', 'expires_at'],
  invitationDetails: [
    'id',
    'email',
    'organization_name',
    'unit_name',
    'role_name',
    'role_label',
    'invited_by_name',
    'expires_at',
    'status',
  ],
  invitationList: [
    'id',
    'email',
    'organization_id',
    'unit_id',
    'role_name',
    'role_label',
    'invited_by_email',
    'status',
    'expires_at',
    'created_at',
  ],
  profile: ['id', 'email', 'first_name', 'last_name', 'avatar_url', 'timezone', 'locale'],
  file: ['id', 'organization_id', 'file_url', 'file_type', 'created_at'],
  audit: [
    'id',
    'actor_id',
    'target_table',
    'target_id',
    'action',
    'summary',
    'metadata',
    'created_at',
  ],
  secret: ['id', 'scope', 'organization_id', 'user_id', 'secret_name', 'created_at', 'created_by'],
  product: [
    'id',
    'name',
    'description',
    'billing_interval',
    'amount',
    'created_at',
    'updated_at',
    'created_by',
    'updated_by',
  ],
}

const rows = (result: Result, names: string[]) => {
  expect(result.error).toBeNull()
  expect(Array.isArray(result.data)).toBe(true)
  const list = result.data as Record<string, unknown>[]
  expect(list.length).toBeGreaterThan(0)
  for (const row of list) expect(Object.keys(row)).toEqual(expect.arrayContaining(names))
  return list
}
const ok = (result: Result) => {
  expect(result.error).toBeNull()
  expect(result.status).toBeLessThan(300)
  return result.data
}

let stack: TestStack
const user: Record<string, TestUser> = {}
const as: Record<string, SupabaseClient> = {}
const id: Record<string, string> = {}

const call = async (client: SupabaseClient, fn: string, args?: Args): Promise<Result> => {
  const { data, error, status } = await client.rpc(fn, args)
  return { data, error, status }
}
const must = async (client: SupabaseClient, fn: string, args?: Args) => {
  const result = await call(client, fn, args)
  expect(result.error, `${fn}`).toBeNull()
  return result.data as Record<string, unknown>[] & Record<string, unknown>
}
const setting = (key: string, on: boolean) =>
  stack.db.query('update platform.platform_settings set value = $2 where key = $1', [
    key,
    JSON.stringify(on),
  ])

beforeAll(async () => {
  stack = await createTestStack()
  for (const name of ['olga', 'mia', 'leo', 'nick', 'pat', 'ivy']) {
    user[name] = await stack.db.createUser({ email: `${name}@smta.test`, password: 'password123' })
    const client = stack.client()
    const { error } = await client.auth.signInWithPassword({
      email: `${name}@smta.test`,
      password: 'password123',
    })
    if (error) throw error
    as[name] = client
  }
  as.anon = stack.client()
  // SMTA's journey: people create their organizations (a platform setting in Tenantbase).
  await setting('allow_organization_creation', true)
  const create = async (who: string, name: string) =>
    (await must(as[who] as SupabaseClient, 'create_organization', { p_name: name }))[0]
      ?.id as string
  id.org = ''
  id.elsewhere = await create('nick', 'Elsewhere')
  id.side = await create('olga', 'Side')
  id.temp = await create('olga', 'Temp')
  const olga = as.olga as SupabaseClient
  const join = async (who: string, orgId: string, roleId: string) => {
    const [inv] = await must(olga, 'create_invitation', {
      p_email: `${who}@smta.test`,
      p_organization_id: orgId,
      p_role_id: roleId,
    })
    await must(as[who] as SupabaseClient, 'accept_invitation', { p_token: inv?.token })
  }
  const role = async (orgId: string, name: string, permissions: string[] = []) =>
    (await must(olga, 'create_role', {
      p_org_id: orgId,
      p_name: name,
      p_parent_role_id: (await must(olga, 'get_my_access', { p_org_id: orgId }))[0]?.role_id,
      p_permissions: permissions,
    })) as unknown as { id: string }
  // pat shares Side with olga, so olga may add pat to Compat directly.
  await join('pat', id.side, (await role(id.side, 'guest')).id)
  await stack.db.query(
    `insert into platform.subscription_products (provider, provider_price_id, plan, name, description, amount)
     values ('stripe', 'price_smta', 'team', 'Team', 'For teams', 1500)`,
  )
  // Compat itself is created by the first test; roles and members follow.
  const compat = async () => {
    id.member = (await role(id.org, 'member')).id
    id.helper = (await role(id.org, 'helper')).id
    await join('mia', id.org, id.member)
    await join('leo', id.org, id.member)
  }
  setupCompat = compat
})
afterAll(() => stack.close())
let setupCompat: () => Promise<void>

// One case per SMTA function, in an order where each member call can use what earlier ones made.
type Case = {
  fn: string
  args: () => Args
  member: () => Promise<void>
  nonMember: Expectation
  anon?: Expectation
}
const notMember: Refusal = {
  status: 403,
  code: '42501',
  message: 'You are not a member of this organization',
}
const notFound = (what: string): Refusal => ({
  status: 404,
  code: 'PT404',
  message: `${what} not found`,
})
const anonRefused = (fn: string): Refusal => ({
  status: 401,
  code: '42501',
  message: `permission denied for function ${fn}`,
})

const cases: Case[] = [
  {
    fn: 'create_organization',
    args: () => ({ p_name: 'Own Co', p_description: null }),
    member: async () => {
      const [org] = rows(
        await call(as.olga as SupabaseClient, 'create_organization', {
          p_name: 'Compat',
          p_description: 'SMTA compatibility',
        }),
        ['id', 'name', 'created_at'],
      )
      id.org = org?.id as string
      await setupCompat()
      // Guide: off until the platform allows it.
      await setting('allow_organization_creation', false)
      try {
        expect(
          await call(as.mia as SupabaseClient, 'create_organization', { p_name: 'No' }),
        ).toMatchObject({
          status: 403,
          error: {
            code: '42501',
            message: 'Creating organizations is disabled; ask the platform operator',
          },
        })
      } finally {
        await setting('allow_organization_creation', true)
      }
    },
    // Anyone signed in creates an organization of their own (when the platform allows it).
    nonMember: (r) => expect((r.data as { name: string }[])[0]?.name).toBe('Own Co'),
  },
  {
    fn: 'list_my_organizations',
    args: () => ({}),
    member: async () => {
      const list = rows(
        await call(as.olga as SupabaseClient, 'list_my_organizations'),
        fields.organization,
      )
      expect(list.find((o) => o.id === id.org)).toMatchObject({
        name: 'Compat',
        role: 'super_admin',
      })
    },
    nonMember: (r) => expect((r.data as { id: string }[]).map((o) => o.id)).not.toContain(id.org),
  },
  {
    fn: 'get_user_organizations',
    args: () => ({}),
    member: async () => {
      const list = rows(
        await call(as.mia as SupabaseClient, 'get_user_organizations'),
        fields.organization,
      )
      expect(list.map((o) => [o.name, o.role])).toEqual([['Compat', 'member']])
    },
    nonMember: (r) => expect((r.data as { id: string }[]).map((o) => o.id)).not.toContain(id.org),
  },
  {
    fn: 'get_organization',
    args: () => ({ p_id: id.org }),
    member: async () => {
      const [org] = rows(
        await call(as.mia as SupabaseClient, 'get_organization', { p_id: id.org }),
        fields.organizationRow,
      )
      expect(org).toMatchObject({
        name: 'Compat',
        description: 'SMTA compatibility',
        is_deleted: false,
      })
    },
    nonMember: 'empty',
  },
  {
    fn: 'list_organization_members',
    args: () => ({ p_id: id.org }),
    member: async () => {
      const list = rows(
        await call(as.mia as SupabaseClient, 'list_organization_members', { p_id: id.org }),
        fields.member,
      )
      expect(list.find((m) => m.user_id === user.olga?.id)).toMatchObject({
        email: 'olga@smta.test',
        role: 'super_admin',
        is_super_admin: true,
      })
      expect(list).toHaveLength(3)
    },
    nonMember: 'empty',
  },
  {
    fn: 'get_user_role',
    args: () => ({ p_org_id: id.org }),
    member: async () => {
      expect(ok(await call(as.olga as SupabaseClient, 'get_user_role', { p_org_id: id.org }))).toBe(
        'super_admin',
      )
      expect(ok(await call(as.mia as SupabaseClient, 'get_user_role', { p_org_id: id.org }))).toBe(
        'member',
      )
    },
    nonMember: 'null',
  },
  {
    fn: 'get_user_permissions',
    args: () => ({ p_org_id: id.org }),
    member: async () => {
      const [own] = rows(
        await call(as.olga as SupabaseClient, 'get_user_permissions', { p_org_id: id.org }),
        fields.permissions,
      )
      expect(own?.role_name).toBe('super_admin')
      expect(own?.casl_rules).toContainEqual({ action: 'invite', subject: 'members' })
    },
    nonMember: 'empty',
  },
  {
    fn: 'update_organization',
    args: () => ({ p_id: id.org, p_name: 'Hijacked', p_description: null }),
    member: async () => {
      const [org] = rows(
        await call(as.olga as SupabaseClient, 'update_organization', {
          p_id: id.org,
          p_name: 'Compat',
          p_description: 'Renamed',
        }),
        ['id', 'name', 'description', 'updated_at'],
      )
      expect(org).toMatchObject({ name: 'Compat', description: 'Renamed' })
      // Guide: organization.update, which plain members lack.
      expect(
        await call(as.mia as SupabaseClient, 'update_organization', {
          p_id: id.org,
          p_name: 'Mine',
        }),
      ).toMatchObject({
        status: 403,
        error: { code: '42501', message: 'Missing permission organization.update' },
      })
    },
    nonMember: notMember,
  },
  {
    fn: 'update_organization_meta',
    args: () => ({
      p_id: id.org,
      p_logo_file_id: null,
      p_address: 'x',
      p_timezone: null,
      p_locale: null,
    }),
    member: async () => {
      const [meta] = rows(
        await call(as.olga as SupabaseClient, 'update_organization_meta', {
          p_id: id.org,
          p_logo_file_id: null,
          p_address: '1 Main St',
          p_timezone: 'Europe/Paris',
          p_locale: 'fr',
        }),
        ['id', 'logo_file_id', 'address', 'timezone', 'locale', 'updated_at'],
      )
      expect(meta).toMatchObject({
        id: id.org,
        address: '1 Main St',
        timezone: 'Europe/Paris',
        locale: 'fr',
      })
    },
    nonMember: notMember,
  },
  {
    fn: 'invite_user_to_organization',
    args: () => ({ p_email: 'nick@smta.test', p_role_id: id.member }),
    member: async () => {
      // Guide: an invitation in the organization of p_role_id; nobody is added directly.
      const [inv] = rows(
        await call(as.olga as SupabaseClient, 'invite_user_to_organization', {
          p_email: 'nick@smta.test',
          p_role_id: id.member,
        }),
        fields.invitationToken,
      )
      expect(inv?.email).toBe('nick@smta.test')
      expect(
        ok(await call(as.nick as SupabaseClient, 'get_user_role', { p_org_id: id.org })),
      ).toBeNull()
    },
    nonMember: notMember,
  },
  {
    fn: 'add_member_to_organization',
    args: () => ({ p_org_id: id.org, p_user_id: user.pat?.id, p_role_id: id.member }),
    member: async () => {
      // Guide: only people who already share an organization with the caller.
      expect(
        await call(as.olga as SupabaseClient, 'add_member_to_organization', {
          p_org_id: id.org,
          p_user_id: user.ivy?.id,
          p_role_id: id.member,
        }),
      ).toMatchObject({
        status: 403,
        error: {
          code: '42501',
          message: 'Invite people who are not yet in one of your organizations',
        },
      })
      ok(
        await call(as.olga as SupabaseClient, 'add_member_to_organization', {
          p_org_id: id.org,
          p_user_id: user.pat?.id,
          p_role_id: id.member,
        }),
      )
      expect(ok(await call(as.pat as SupabaseClient, 'get_user_role', { p_org_id: id.org }))).toBe(
        'member',
      )
    },
    nonMember: notMember,
  },
  {
    fn: 'update_member_role',
    args: () => ({ p_org_id: id.org, p_user_id: user.pat?.id, p_role_id: id.helper }),
    member: async () => {
      ok(
        await call(as.olga as SupabaseClient, 'update_member_role', {
          p_org_id: id.org,
          p_user_id: user.pat?.id,
          p_role_id: id.helper,
        }),
      )
      expect(ok(await call(as.pat as SupabaseClient, 'get_user_role', { p_org_id: id.org }))).toBe(
        'helper',
      )
    },
    nonMember: notMember,
  },
  {
    fn: 'remove_member_from_organization',
    args: () => ({ p_org_id: id.org, p_user_id: user.pat?.id }),
    member: async () => {
      ok(
        await call(as.olga as SupabaseClient, 'remove_member_from_organization', {
          p_org_id: id.org,
          p_user_id: user.pat?.id,
        }),
      )
      expect(
        ok(await call(as.pat as SupabaseClient, 'get_user_role', { p_org_id: id.org })),
      ).toBeNull()
    },
    nonMember: notMember,
  },
  {
    fn: 'remove_user_from_organization',
    args: () => ({ p_user_id: user.mia?.id, p_org_id: id.org }),
    member: async () => {
      // A member leaves by themselves.
      ok(
        await call(as.leo as SupabaseClient, 'remove_user_from_organization', {
          p_user_id: user.leo?.id,
          p_org_id: id.org,
        }),
      )
      expect(
        ok(await call(as.leo as SupabaseClient, 'get_user_role', { p_org_id: id.org })),
      ).toBeNull()
    },
    nonMember: notMember,
  },
  {
    fn: 'create_unit',
    args: () => ({ p_org_id: id.org, p_name: 'Sneaky', p_description: null }),
    member: async () => {
      const [unit] = rows(
        await call(as.olga as SupabaseClient, 'create_unit', {
          p_org_id: id.org,
          p_name: 'Ops',
          p_description: 'Operations',
        }),
        ['id', 'organization_id', 'name', 'description', 'created_by', 'updated_by'],
      )
      expect(unit).toMatchObject({
        organization_id: id.org,
        name: 'Ops',
        created_by: user.olga?.id,
      })
      id.unit = unit?.id as string
      // Guide: units.manage.
      expect(
        await call(as.mia as SupabaseClient, 'create_unit', { p_org_id: id.org, p_name: 'Mine' }),
      ).toMatchObject({
        status: 403,
        error: { code: '42501', message: 'Missing permission units.manage' },
      })
    },
    nonMember: notMember,
  },
  {
    fn: 'list_units',
    args: () => ({ p_org_id: id.org }),
    member: async () => {
      const list = rows(
        await call(as.mia as SupabaseClient, 'list_units', { p_org_id: id.org }),
        fields.unit,
      )
      expect(list.map((u) => u.name)).toEqual(['Ops'])
    },
    nonMember: 'empty',
  },
  {
    fn: 'get_unit',
    args: () => ({ p_id: id.unit }),
    member: async () => {
      const [unit] = rows(
        await call(as.mia as SupabaseClient, 'get_unit', { p_id: id.unit }),
        fields.unit,
      )
      expect(unit).toMatchObject({ name: 'Ops', description: 'Operations' })
    },
    nonMember: 'empty',
  },
  {
    fn: 'update_unit',
    args: () => ({ p_id: id.unit, p_name: 'Hijacked', p_description: null }),
    member: async () => {
      const [unit] = rows(
        await call(as.olga as SupabaseClient, 'update_unit', {
          p_id: id.unit,
          p_name: 'Operations',
          p_description: 'Ops team',
        }),
        ['id', 'name', 'description', 'updated_at'],
      )
      expect(unit).toMatchObject({ name: 'Operations', description: 'Ops team' })
    },
    nonMember: notFound('Unit'),
  },
  {
    fn: 'assign_user_to_unit',
    args: () => ({ p_user_id: user.nick?.id, p_unit_id: id.unit, p_role_id: id.member }),
    member: async () => {
      ok(
        await call(as.olga as SupabaseClient, 'assign_user_to_unit', {
          p_user_id: user.mia?.id,
          p_unit_id: id.unit,
          p_role_id: id.member,
        }),
      )
    },
    nonMember: notFound('Unit'),
  },
  {
    fn: 'list_unit_members',
    args: () => ({ p_unit_id: id.unit }),
    member: async () => {
      const [m] = rows(
        await call(as.mia as SupabaseClient, 'list_unit_members', { p_unit_id: id.unit }),
        fields.unitMember,
      )
      expect(m).toMatchObject({ user_id: user.mia?.id, email: 'mia@smta.test', role: 'member' })
    },
    nonMember: 'empty',
  },
  {
    fn: 'get_user_unit_permissions',
    args: () => ({ p_unit_id: id.unit }),
    member: async () => {
      const [p] = rows(
        await call(as.mia as SupabaseClient, 'get_user_unit_permissions', { p_unit_id: id.unit }),
        fields.permissions,
      )
      expect(p).toMatchObject({ role_name: 'member', casl_rules: [] })
    },
    nonMember: 'empty',
  },
  {
    fn: 'list_my_units',
    args: () => ({}),
    member: async () => {
      const list = rows(await call(as.mia as SupabaseClient, 'list_my_units'), fields.myUnit)
      expect(list.map((u) => [u.name, u.role])).toEqual([['Operations', 'member']])
    },
    nonMember: 'empty',
  },
  {
    fn: 'get_user_units',
    args: () => ({ p_org_id: id.org }),
    member: async () => {
      const list = rows(
        await call(as.mia as SupabaseClient, 'get_user_units', { p_org_id: id.org }),
        fields.myUnit,
      )
      expect(list.map((u) => u.id)).toEqual([id.unit])
    },
    nonMember: 'empty',
  },
  {
    fn: 'update_unit_member_role',
    args: () => ({ p_unit_id: id.unit, p_user_id: user.mia?.id, p_role_id: id.helper }),
    member: async () => {
      ok(
        await call(as.olga as SupabaseClient, 'update_unit_member_role', {
          p_unit_id: id.unit,
          p_user_id: user.mia?.id,
          p_role_id: id.helper,
        }),
      )
      expect(
        rows(await call(as.mia as SupabaseClient, 'list_my_units'), fields.myUnit).map(
          (u) => u.role,
        ),
      ).toEqual(['helper'])
    },
    nonMember: notFound('Unit'),
  },
  {
    fn: 'remove_member_from_unit',
    args: () => ({ p_unit_id: id.unit, p_user_id: user.mia?.id }),
    member: async () => {
      ok(
        await call(as.olga as SupabaseClient, 'remove_member_from_unit', {
          p_unit_id: id.unit,
          p_user_id: user.mia?.id,
        }),
      )
      expect(ok(await call(as.mia as SupabaseClient, 'list_my_units'))).toEqual([])
    },
    nonMember: notFound('Unit member'),
  },
  {
    fn: 'add_member_to_unit',
    args: () => ({ p_unit_id: id.unit, p_user_id: user.mia?.id, p_role_id: id.member }),
    member: async () => {
      ok(
        await call(as.olga as SupabaseClient, 'add_member_to_unit', {
          p_unit_id: id.unit,
          p_user_id: user.mia?.id,
          p_role_id: id.member,
        }),
      )
      expect(
        rows(await call(as.mia as SupabaseClient, 'list_my_units'), fields.myUnit).map(
          (u) => u.role,
        ),
      ).toEqual(['member'])
    },
    nonMember: notFound('Unit'),
  },
  {
    fn: 'remove_user_from_unit',
    args: () => ({ p_user_id: user.mia?.id, p_unit_id: id.unit }),
    member: async () => {
      // A unit member leaves by themselves.
      ok(
        await call(as.mia as SupabaseClient, 'remove_user_from_unit', {
          p_user_id: user.mia?.id,
          p_unit_id: id.unit,
        }),
      )
      expect(ok(await call(as.mia as SupabaseClient, 'list_my_units'))).toEqual([])
    },
    nonMember: notFound('Unit member'),
  },
  {
    fn: 'create_invitation',
    args: () => ({
      p_email: 'ivy@smta.test',
      p_organization_id: id.org,
      p_role_id: id.member,
      p_unit_id: null,
      p_metadata: {},
    }),
    member: async () => {
      const [inv] = rows(
        await call(as.olga as SupabaseClient, 'create_invitation', {
          p_email: 'Ivy@SMTA.test',
          p_organization_id: id.org,
          p_role_id: id.member,
          p_unit_id: id.unit,
          p_metadata: { message: 'Welcome' },
        }),
        fields.invitationToken,
      )
      expect(inv?.email).toBe('ivy@smta.test')
      id.invitation = inv?.id as string
      id.token = inv?.token as string
      // Guide: SMTA refuses super_admin as the role; Tenantbase refuses every role not below the caller.
      const root = (await must(as.olga as SupabaseClient, 'get_my_access', { p_org_id: id.org }))[0]
        ?.role_id
      expect(
        await call(as.olga as SupabaseClient, 'create_invitation', {
          p_email: 'boss@smta.test',
          p_organization_id: id.org,
          p_role_id: root,
        }),
      ).toMatchObject({
        status: 403,
        error: { code: '42501', message: 'You can only invite people to roles below your own' },
      })
    },
    nonMember: notMember,
  },
  {
    fn: 'get_invitation_details',
    args: () => ({ p_token: id.token }),
    member: async () => {
      const [d] = rows(
        await call(as.ivy as SupabaseClient, 'get_invitation_details', { p_token: id.token }),
        fields.invitationDetails,
      )
      expect(d).toMatchObject({
        email: 'ivy@smta.test',
        organization_name: 'Compat',
        unit_name: 'Operations',
        role_name: 'member',
        status: 'pending',
      })
    },
    // Anyone holding the token (the landing page) reads it; an unknown token is not found.
    nonMember: (r) => expect((r.data as { email: string }[])[0]?.email).toBe('ivy@smta.test'),
    anon: (r) =>
      expect((r.data as { organization_name: string }[])[0]?.organization_name).toBe('Compat'),
  },
  {
    fn: 'list_invitations',
    args: () => ({ p_organization_id: id.org, p_status: 'pending' }),
    member: async () => {
      const list = rows(
        await call(as.olga as SupabaseClient, 'list_invitations', {
          p_organization_id: id.org,
          p_status: 'pending',
        }),
        fields.invitationList,
      )
      expect(list.find((i) => i.id === id.invitation)).toMatchObject({
        email: 'ivy@smta.test',
        role_name: 'member',
        invited_by_email: 'olga@smta.test',
        status: 'pending',
      })
      // Guide: members.invite, which plain members lack.
      expect(
        await call(as.mia as SupabaseClient, 'list_invitations', { p_organization_id: id.org }),
      ).toMatchObject({
        status: 403,
        error: { code: '42501', message: 'Missing permission members.invite' },
      })
    },
    nonMember: notMember,
  },
  {
    fn: 'resend_invitation',
    args: () => ({ p_invitation_id: id.invitation }),
    member: async () => {
      const [again] = rows(
        await call(as.olga as SupabaseClient, 'resend_invitation', {
          p_invitation_id: id.invitation,
        }),
        fields.invitationToken,
      )
      expect(again?.token).not.toBe(id.token)
      expect(
        (await call(as.anon as SupabaseClient, 'get_invitation_details', { p_token: id.token }))
          .status,
      ).toBe(404)
      id.token = again?.token as string
    },
    nonMember: notFound('Invitation'),
  },
  {
    fn: 'cancel_invitation',
    args: () => ({ p_invitation_id: id.invitation }),
    member: async () => {
      const [other] = await must(as.olga as SupabaseClient, 'create_invitation', {
        p_email: 'gone@smta.test',
        p_organization_id: id.org,
        p_role_id: id.member,
      })
      expect(
        await call(as.mia as SupabaseClient, 'cancel_invitation', { p_invitation_id: other?.id }),
      ).toMatchObject({
        status: 403,
        error: { code: '42501', message: 'Missing permission members.invite' },
      })
      ok(await call(as.olga as SupabaseClient, 'cancel_invitation', { p_invitation_id: other?.id }))
      const [d] = await must(as.anon as SupabaseClient, 'get_invitation_details', {
        p_token: other?.token,
      })
      // SMTA says cancelled; Tenantbase stores and shows revoked (the list filter accepts both).
      expect(d?.status).toBe('revoked')
    },
    nonMember: notFound('Invitation'),
  },
  {
    fn: 'accept_invitation',
    args: () => ({ p_token: id.token }),
    member: async () => {
      const [joined] = rows(
        await call(as.ivy as SupabaseClient, 'accept_invitation', { p_token: id.token }),
        ['organization_id', 'unit_id', 'role_id', 'organization_name'],
      )
      expect(joined).toEqual({
        organization_id: id.org,
        unit_id: id.unit,
        role_id: id.member,
        organization_name: 'Compat',
      })
    },
    nonMember: {
      status: 403,
      code: '42501',
      message: 'This invitation was sent to another email address',
    },
  },
  {
    fn: 'get_user_profile',
    args: () => ({}),
    member: async () => {
      const [p] = rows(await call(as.mia as SupabaseClient, 'get_user_profile'), fields.profile)
      expect(p).toMatchObject({ id: user.mia?.id, email: 'mia@smta.test' })
    },
    // Everyone reads their own profile only.
    nonMember: (r) =>
      expect((r.data as { id: string }[]).map((p) => p.id)).toEqual([user.nick?.id]),
  },
  {
    fn: 'update_user_profile',
    args: () => ({ p_first_name: 'Nick', p_last_name: 'Outsider' }),
    member: async () => {
      const [p] = rows(
        await call(as.mia as SupabaseClient, 'update_user_profile', {
          p_first_name: 'Mia',
          p_last_name: 'Member',
        }),
        fields.profile,
      )
      expect(p).toMatchObject({ id: user.mia?.id, first_name: 'Mia', last_name: 'Member' })
    },
    nonMember: (r) => expect((r.data as { id: string }[])[0]?.id).toBe(user.nick?.id),
  },
  {
    fn: 'create_file',
    args: () => ({
      p_org_id: id.org,
      p_file_url: 'https://cdn.smta.test/x.pdf',
      p_file_type: 'application/pdf',
      p_file_size: 1,
      p_file_specs: null,
    }),
    member: async () => {
      const [file] = rows(
        await call(as.olga as SupabaseClient, 'create_file', {
          p_org_id: id.org,
          p_file_url: 'https://cdn.smta.test/logo.png',
          p_file_type: 'image/png',
          p_file_size: 2048,
          p_file_specs: { width: 64 },
        }),
        fields.file,
      )
      expect(file).toMatchObject({
        organization_id: id.org,
        file_url: 'https://cdn.smta.test/logo.png',
      })
      id.file = file?.id as string
      // Guide: files.manage.
      expect(
        await call(as.mia as SupabaseClient, 'create_file', {
          p_org_id: id.org,
          p_file_url: 'https://cdn.smta.test/y.png',
          p_file_type: 'image/png',
        }),
      ).toMatchObject({
        status: 403,
        error: { code: '42501', message: 'Missing permission files.manage' },
      })
    },
    nonMember: notMember,
  },
  {
    fn: 'get_file',
    args: () => ({ p_file_id: id.file }),
    member: async () => {
      const [file] = rows(
        await call(as.mia as SupabaseClient, 'get_file', { p_file_id: id.file }),
        fields.file,
      )
      expect(file).toMatchObject({ id: id.file, file_size: 2048, file_specs: { width: 64 } })
    },
    nonMember: 'empty',
  },
  {
    fn: 'list_files',
    args: () => ({ p_org_id: id.org }),
    member: async () => {
      const list = rows(
        await call(as.mia as SupabaseClient, 'list_files', { p_org_id: id.org }),
        fields.file,
      )
      expect(list.map((f) => f.id)).toEqual([id.file])
    },
    nonMember: 'empty',
  },
  {
    fn: 'update_file_metadata',
    args: () => ({ p_file_id: id.file, p_file_specs: null, p_file_size: 1 }),
    member: async () => {
      const [file] = rows(
        await call(as.olga as SupabaseClient, 'update_file_metadata', {
          p_file_id: id.file,
          p_file_specs: { width: 128 },
          p_file_size: 4096,
        }),
        ['id', 'file_specs', 'file_size', 'updated_at'],
      )
      expect(file).toMatchObject({ file_specs: { width: 128 }, file_size: 4096 })
    },
    nonMember: notFound('File'),
  },
  {
    fn: 'delete_file',
    args: () => ({ p_file_id: id.file }),
    member: async () => {
      ok(await call(as.olga as SupabaseClient, 'delete_file', { p_file_id: id.file }))
      expect(ok(await call(as.mia as SupabaseClient, 'list_files', { p_org_id: id.org }))).toEqual(
        [],
      )
    },
    nonMember: notFound('File'),
  },
  {
    fn: 'get_audit_log',
    args: () => ({ p_org_id: id.org, p_limit: 50 }),
    member: async () => {
      const list = rows(
        await call(as.olga as SupabaseClient, 'get_audit_log', { p_org_id: id.org, p_limit: 500 }),
        fields.audit,
      )
      expect(list.length).toBeLessThanOrEqual(500)
      expect(
        list.find((e) => e.target_table === 'core.units' && e.action === 'insert'),
      ).toMatchObject({
        target_id: id.unit,
        actor_id: user.olga?.id,
        summary: 'insert core.units',
        metadata: expect.objectContaining({ name: 'Ops' }),
      })
      // Guide: audit.read.
      expect(
        await call(as.mia as SupabaseClient, 'get_audit_log', { p_org_id: id.org, p_limit: 5 }),
      ).toMatchObject({
        status: 403,
        error: { code: '42501', message: 'Missing permission audit.read' },
      })
    },
    nonMember: notMember,
  },
  {
    fn: 'create_secret',
    args: () => ({ p_scope: 'organization', p_id: id.org, p_name: 'stolen', p_secret: 'x' }),
    member: async () => {
      const secret = ok(
        await call(as.olga as SupabaseClient, 'create_secret', {
          p_scope: 'organization',
          p_id: id.org,
          p_name: 'api_key',
          p_secret: 'sk_live_smta',
        }),
      )
      expect(secret).toMatch(/^[0-9a-f-]{36}$/)
      id.secret = secret as string
    },
    nonMember: notMember,
  },
  {
    fn: 'list_secrets',
    args: () => ({ p_scope: 'organization', p_id: id.org }),
    member: async () => {
      const list = rows(
        await call(as.olga as SupabaseClient, 'list_secrets', {
          p_scope: 'organization',
          p_id: id.org,
        }),
        fields.secret,
      )
      expect(list).toEqual([
        expect.objectContaining({ id: id.secret, secret_name: 'api_key', organization_id: id.org }),
      ])
      expect(JSON.stringify(list)).not.toContain('sk_live_smta')
    },
    nonMember: notMember,
  },
  {
    fn: 'delete_secret',
    args: () => ({ p_secret_id: id.secret }),
    member: async () => {
      ok(await call(as.olga as SupabaseClient, 'delete_secret', { p_secret_id: id.secret }))
      expect(ok(await call(as.olga as SupabaseClient, 'list_secrets', {}))).toEqual([])
    },
    nonMember: notMember,
  },
  {
    fn: 'list_subscription_products',
    args: () => ({}),
    member: async () => {
      const list = rows(
        await call(as.olga as SupabaseClient, 'list_subscription_products'),
        fields.product,
      )
      expect(list).toContainEqual(
        expect.objectContaining({ name: 'Team', billing_interval: 'month', amount: 1500 }),
      )
    },
    nonMember: (r) => expect((r.data as { name: string }[]).map((p) => p.name)).toContain('Team'),
    anon: (r) => rows(r, fields.product),
  },
  {
    fn: 'transfer_super_admin',
    args: () => ({ p_org_id: id.side, p_new_super_admin_user_id: user.nick?.id }),
    member: async () => {
      ok(
        await call(as.olga as SupabaseClient, 'transfer_super_admin', {
          p_org_id: id.side,
          p_new_super_admin_user_id: user.pat?.id,
        }),
      )
      expect(ok(await call(as.pat as SupabaseClient, 'get_user_role', { p_org_id: id.side }))).toBe(
        'super_admin',
      )
      expect(
        ok(await call(as.olga as SupabaseClient, 'get_user_role', { p_org_id: id.side })),
      ).toBe('guest')
    },
    nonMember: { status: 403, code: '42501', message: 'Only the owner can transfer ownership' },
  },
  {
    fn: 'delete_unit',
    args: () => ({ p_id: id.unit }),
    member: async () => {
      ok(await call(as.olga as SupabaseClient, 'delete_unit', { p_id: id.unit }))
      expect(ok(await call(as.mia as SupabaseClient, 'list_units', { p_org_id: id.org }))).toEqual(
        [],
      )
      // A deleted unit is gone: 404, not 500.
      expect(await call(as.olga as SupabaseClient, 'delete_unit', { p_id: id.unit })).toMatchObject(
        {
          status: 404,
          error: { code: 'PT404', message: 'Unit not found' },
        },
      )
    },
    nonMember: notFound('Unit'),
  },
  {
    fn: 'delete_organization',
    args: () => ({ p_id: id.temp }),
    member: async () => {
      ok(await call(as.olga as SupabaseClient, 'delete_organization', { p_id: id.temp }))
      expect(
        ok(await call(as.olga as SupabaseClient, 'get_organization', { p_id: id.temp })),
      ).toEqual([])
    },
    nonMember: {
      status: 403,
      code: '42501',
      message: 'Only the owner can delete the organization',
    },
  },
]

const check = (result: Result, expected: Expectation, who: string) => {
  if (typeof expected === 'function') {
    expect(result.error, `${who}: ${result.error?.message}`).toBeNull()
    expected(result)
  } else if (expected === 'empty') {
    expect(result.error).toBeNull()
    expect(result.data).toEqual([])
  } else if (expected === 'null') {
    expect(result.error).toBeNull()
    expect(result.data).toBeNull()
  } else {
    expect({
      status: result.status,
      code: result.error?.code,
      message: result.error?.message,
    }).toEqual({
      status: expected.status,
      code: expected.code,
      message: expected.message ?? result.error?.message,
    })
  }
}

describe("SMTA's public RPC surface through supabase-js", () => {
  it('covers every documented function', () => {
    expect(cases.map((c) => c.fn).sort()).toEqual(SMTA_FUNCTIONS)
    expect(SMTA_FUNCTIONS).toHaveLength(48)
  })

  for (const c of cases) {
    it(`${c.fn}: anon, a non-member and a member, with the documented arguments`, async () => {
      check(
        await call(as.anon as SupabaseClient, c.fn, c.args()),
        c.anon ?? anonRefused(c.fn),
        'anon',
      )
      check(await call(as.nick as SupabaseClient, c.fn, c.args()), c.nonMember, 'non-member')
      await c.member()
    })
  }
})
