import { createTestDatabase, type TestDatabase } from '@tenantbase/local-supabase/testing'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createRole, createTenant } from './factories.ts'

describe.each(['supabase', 'payload'] as const)('provision_tenant (%s)', (adapter) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase({ adapter })
  })
  afterAll(() => db.close())

  it('creates the organization, its meta and platform rows, the root role and an invitation', async () => {
    const [row] = await db
      .as('service_role')
      .query('select public.provision_tenant($1, $2, $3) as t', [
        'Globex',
        'globex',
        'Admin@Globex.com',
      ])
    const t = row?.t
    expect(Object.keys(t).sort()).toEqual([
      'expires_at',
      'invitation_id',
      'invitation_token',
      'invite_id',
      'organization_id',
      'role_id',
      'root_role_id',
      'tenant_id',
    ])
    // SupaMax's names for the same values.
    expect([t.tenant_id, t.role_id, t.invite_id]).toEqual([
      t.organization_id,
      t.root_role_id,
      t.invitation_id,
    ])
    expect(t.invitation_token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(
      await db.query(
        `select o.slug, r.name, r.is_root, i.email, i.status, i.token_hash = encode(sha256(convert_to($2, 'UTF8')), 'hex') as hashed,
           (select count(*)::int from core.organizations_meta m where m.organization_id = o.id) as meta,
           (select count(*)::int from platform.platform_organizations p where p.organization_id = o.id) as platform
         from core.organizations o join core.roles r on r.organization_id = o.id
         join core.invitations i on i.organization_id = o.id where o.id = $1`,
        [t.organization_id, t.invitation_token],
      ),
    ).toEqual([
      {
        slug: 'globex',
        name: 'Owner',
        is_root: true,
        email: 'admin@globex.com',
        status: 'pending',
        hashed: true,
        meta: 1,
        platform: 1,
      },
    ])
    // The plaintext token is stored nowhere.
    expect(
      await db.query('select count(*)::int as n from core.invitations where token_hash = $1', [
        t.invitation_token,
      ]),
    ).toEqual([{ n: 0 }])
  })

  it('refuses anon and ordinary users', async () => {
    const tenant = await createTenant(db, 'Initech')
    for (const actor of ['anon', tenant.owner] as const) {
      await expect(
        db
          .as(actor)
          .query(
            `select public.provision_tenant('X', 'x-${actor === 'anon' ? 'a' : 'u'}', 'x@example.com')`,
          ),
      ).rejects.toMatchObject(
        actor === 'anon'
          ? { code: '42501', message: 'permission denied for function provision_tenant' }
          : {
              code: '42501',
              message: 'Only the service role or a platform admin can provision tenants',
            },
      )
    }
  })

  it('refuses a duplicate slug, whatever its case, and creates nothing', async () => {
    await db
      .as('service_role')
      .query(`select public.provision_tenant('One', 'dup-slug', 'a@example.com')`)
    const before = await db.query('select count(*)::int as n from core.roles')
    await expect(
      db
        .as('service_role')
        .query(`select public.provision_tenant('Two', 'DUP-slug', 'b@example.com')`),
    ).rejects.toMatchObject({
      code: '23505',
      message: 'An organization with the slug "dup-slug" already exists',
    })
    expect(await db.query('select count(*)::int as n from core.roles')).toEqual(before)
  })

  it('lets exactly one of two concurrent calls with the same slug win', async () => {
    const clients = [
      new pg.Client(db.urlFor('authenticator')),
      new pg.Client(db.urlFor('authenticator')),
    ]
    await Promise.all(clients.map((c) => c.connect()))
    try {
      await Promise.all(clients.map((c) => c.query('begin; set local role service_role')))
      const results = await Promise.allSettled(
        clients.map((c, i) =>
          c
            .query(`select public.provision_tenant('Race', 'race-slug', 'r${i}@example.com')`)
            .then(() => c.query('commit')),
        ),
      )
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
      const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
      expect(failure.reason).toMatchObject({ code: '23505' })
    } finally {
      await Promise.all(clients.map((c) => c.end()))
    }
    expect(
      await db.query(`select count(*)::int as n from core.organizations where slug = 'race-slug'`),
    ).toEqual([{ n: 1 }])
  })

  it('rejects malformed slugs and emails with 22023', async () => {
    await expect(
      db
        .as('service_role')
        .query(`select public.provision_tenant('X', 'Not a slug!', 'x@example.com')`),
    ).rejects.toMatchObject({
      code: '22023',
      message: 'Invalid slug: use lower-case letters, digits and dashes',
    })
    await expect(
      db.as('service_role').query(`select public.provision_tenant('X', 'fine', 'nope')`),
    ).rejects.toMatchObject({ code: '22023', message: 'Invalid admin email' })
  })

  it("speaks SupaMax's call: p_role_name names the root, which holds exactly p_permissions", async () => {
    const enabled = ['deals.create', 'deals.read', 'members.invite', 'roles.manage']
    const [row] = await db.as('service_role').query(
      `select public.provision_tenant(p_name => 'Acme Corp', p_slug => 'acme-supamax', p_admin_email => 'ceo@acme.test',
         p_role_name => 'Admin', p_permissions => $1) as t`,
      [[...enabled].reverse()],
    )
    const t = row?.t
    expect(
      await db.query('select name, label, is_root from core.roles where id = $1', [t.role_id]),
    ).toEqual([{ name: 'Admin', label: 'Admin', is_root: true }])
    const ceo = await db.createUser({ email: 'ceo@acme.test' })
    await db.as(ceo).query('select * from public.accept_invitation($1)', [t.invitation_token])
    expect(
      await db
        .as(ceo)
        .query('select role_name, permissions from public.get_my_access($1)', [t.tenant_id]),
    ).toEqual([{ role_name: 'Admin', permissions: enabled }])
    if (adapter === 'supabase') {
      const [hook] = await db.asAuthAdmin.query(
        `select public.custom_access_token_hook(jsonb_build_object('user_id', $1::text, 'claims', '{}'::jsonb)) -> 'claims' -> 'permissions' as p`,
        [ceo.id],
      )
      expect(hook?.p).toEqual(enabled)
    }
  })

  it('grants no role of the organization a code outside its enabled set', async () => {
    const [row] = await db
      .as('service_role')
      .query(
        `select public.provision_tenant('Small', 'small-set', 'boss@small.test', 'Boss', $1) as t`,
        [['deals.read', 'roles.manage', 'members.invite']],
      )
    const t = row?.t
    const boss = await db.createUser({ email: 'boss@small.test' })
    await db.as(boss).query('select * from public.accept_invitation($1)', [t.invitation_token])
    const tenant = {
      orgId: t.organization_id,
      rootRoleId: t.root_role_id,
      owner: boss,
      slug: 'small-set',
    }
    await expect(
      createRole(db, tenant, 'greedy', t.root_role_id, ['deals.read', 'audit.read']),
    ).rejects.toMatchObject({
      code: 'P0001',
      message: 'The permission audit.read is not enabled for this organization',
    })
    const clerk = await createRole(db, tenant, 'clerk', t.root_role_id, ['deals.read'])
    // Not even the service role can step outside the set.
    await expect(
      db
        .as('service_role')
        .query(
          `insert into rbac.role_permissions (organization_id, role_id, permission) values ($1, $2, 'audit.read')`,
          [t.organization_id, clerk],
        ),
    ).rejects.toMatchObject({
      code: 'P0001',
      message: 'The permission audit.read is not enabled for this organization',
    })
  })

  it('lets a platform admin change the enabled set later; grants outside it go', async () => {
    const [row] = await db
      .as('service_role')
      .query(
        `select public.provision_tenant('Later', 'later-set', 'boss@later.test', 'Boss', $1) as t`,
        [['deals.read', 'deals.create', 'roles.manage', 'members.invite']],
      )
    const t = row?.t
    const boss = await db.createUser({ email: 'boss@later.test' })
    await db.as(boss).query('select * from public.accept_invitation($1)', [t.invitation_token])
    const tenant = {
      orgId: t.organization_id,
      rootRoleId: t.root_role_id,
      owner: boss,
      slug: 'later-set',
    }
    const clerkRole = await createRole(db, tenant, 'clerk', t.root_role_id, [
      'deals.read',
      'deals.create',
    ])
    const clerk = await addMember(db, tenant, clerkRole, 'clerk')
    const admin = await db.createUser({ email: 'ops@platform.test' })
    await db.as('service_role').query('select public.platform_set_admin($1, true)', [admin.id])
    const set = (who: Parameters<typeof db.as>[0], codes: string[] | null) =>
      db
        .as(who)
        .query('select public.platform_set_organization_permissions($1, $2) as codes', [
          t.organization_id,
          codes,
        ])
    await expect(set(boss, ['deals.read'])).rejects.toMatchObject({
      code: '42501',
      message: 'Platform admins only',
    })
    await expect(set(admin, ['deals.read', 'nope.x'])).rejects.toMatchObject({
      code: '22023',
      message: 'Unknown permission codes: nope.x',
    })
    expect(await set(admin, ['deals.read', 'audit.read', 'roles.manage'])).toEqual([
      { codes: ['audit.read', 'deals.read', 'roles.manage'] },
    ])
    const access = (user: typeof boss) =>
      db.as(user).query('select permissions from public.get_my_access($1)', [t.organization_id])
    expect(await access(boss)).toEqual([
      { permissions: ['audit.read', 'deals.read', 'roles.manage'] },
    ])
    expect(await access(clerk)).toEqual([{ permissions: ['deals.read'] }])
    expect(
      await db.query('select permission from rbac.role_permissions where role_id = $1', [
        clerkRole,
      ]),
    ).toEqual([{ permission: 'deals.read' }])
    expect(
      await db.query(
        `select action, target_organization_id from platform.platform_action_logs where actor_id = $1`,
        [admin.id],
      ),
    ).toEqual([
      { action: 'set_organization_permissions', target_organization_id: t.organization_id },
    ])
    // null: every code of the catalogue again.
    await set('service_role', null)
    expect((await access(boss))[0]?.permissions).toEqual(
      (await db.query('select code from rbac.permissions order by code')).map((r) => r.code),
    )
    await expect(
      db
        .as(admin)
        .query('select public.platform_set_organization_permissions($1, null)', [
          '00000000-0000-4000-8000-000000000000',
        ]),
    ).rejects.toMatchObject({ code: 'PT404', message: 'Organization not found' })
  })

  it('makes the invited admin the owner on acceptance', async () => {
    const tenant = await createTenant(db, 'Umbrella')
    expect(
      await db
        .as(tenant.owner)
        .query('select role_id, is_root, permissions from public.get_my_access($1)', [
          tenant.orgId,
        ]),
    ).toEqual([
      {
        role_id: tenant.rootRoleId,
        is_root: true,
        permissions: (await db.query('select code from rbac.permissions order by code')).map(
          (r) => r.code,
        ),
      },
    ])
  })
})
