import { createTestDatabase, type TestDatabase } from '@tenantbase/local-supabase/testing'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTenant } from './factories.ts'

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
      'organization_id',
      'root_role_id',
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
