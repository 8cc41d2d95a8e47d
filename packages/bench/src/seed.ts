import type pg from 'pg'

export type Seeded = { orgId: string; rootRoleId: string; roleIds: string[]; userId: string }

/**
 * Creates an organization whose roles form a DAG of `roles` roles: a spine (chain) of `depth`
 * roles under the root, the rest attached to random earlier roles, plus extra edges making
 * diamonds. Runs as postgres (migrations role): graph rules hold, the guard triggers see no user.
 */
export async function seedOrganization(
  db: pg.Pool,
  slug: string,
  options: { roles: number; depth: number; extraEdges: number },
): Promise<Seeded> {
  const client = await db.connect()
  try {
    await client.query('begin')
    const { rows: org } = await client.query(
      `insert into core.organizations (name, slug) values ($1, $1) returning id`,
      [slug],
    )
    const orgId = org[0]?.id as string
    const { rows: root } = await client.query('select rbac.create_root_role($1) as id', [orgId])
    const roleIds: string[] = [root[0]?.id]
    for (let i = 1; i < options.roles; i++) {
      const parent = i <= options.depth ? roleIds[i - 1] : roleIds[Math.floor(Math.random() * i)]
      const { rows } = await client.query(
        `with r as (insert into core.roles (organization_id, name) values ($1, $2) returning id)
         insert into rbac.role_edges (organization_id, parent_role_id, child_role_id) select $1, $3, r.id from r returning child_role_id`,
        [orgId, `role-${i}`, parent],
      )
      roleIds.push(rows[0]?.child_role_id)
    }
    for (let e = 0; e < options.extraEdges; e++) {
      const a = 1 + Math.floor(Math.random() * (options.roles - 1))
      const b = 1 + Math.floor(Math.random() * (options.roles - 1))
      if (a === b) continue
      const [parent, child] = a < b ? [roleIds[a], roleIds[b]] : [roleIds[b], roleIds[a]]
      await client.query('savepoint edge')
      await client
        .query(
          'insert into rbac.role_edges (organization_id, parent_role_id, child_role_id) values ($1, $2, $3)',
          [orgId, parent, child],
        )
        .then(() => client.query('release savepoint edge'))
        .catch(() => client.query('rollback to savepoint edge'))
    }
    // Every role may read public deals, so visibility decides.
    await client.query(
      `insert into rbac.role_permissions (organization_id, role_id, permission)
       select $1, id, 'deals.read' from core.roles where organization_id = $1 and not is_root`,
      [orgId],
    )
    await client.query('commit')
    return { orgId, rootRoleId: roleIds[0] as string, roleIds, userId: '' }
  } catch (error) {
    await client.query('rollback')
    throw error
  } finally {
    client.release()
  }
}

/** An auth user (no invitation needed: trusted seeding) with a membership in the given role. */
export async function addUser(
  db: pg.Pool,
  orgId: string,
  roleId: string,
  email: string,
): Promise<string> {
  const client = await db.connect()
  try {
    await client.query('begin')
    await client.query(`select set_config('tenantbase.allow_uninvited_user', 'on', true)`)
    const { rows } = await client.query(
      `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $1,
         extensions.crypt('password123', extensions.gen_salt('bf', 4)), now(), '{"provider":"email","providers":["email"]}', '{}', now(), now())
       returning id`,
      [email],
    )
    const userId = rows[0]?.id as string
    await client.query(
      'insert into core.memberships (organization_id, user_id, role_id) values ($1, $2, $3)',
      [orgId, userId, roleId],
    )
    await client.query('commit')
    return userId
  } catch (error) {
    await client.query('rollback')
    throw error
  } finally {
    client.release()
  }
}

/** The data of the RLS suites: 1M deals over 200 organizations, members at several depths. */
export type RlsData = {
  target: Seeded
  /** Deals per organization. */
  perOrg: number
  /** A member with a mid-level role (index 50 of the spine). */
  member: string
  /** The organization of the depth rows: a chain of 110 roles under its root. */
  depthOrgId: string
  /** Members at depth 2 and 100 of that chain: they see exactly the same deals. */
  shallowUser: string
  deepUser: string
  ownerUser: string
}

/**
 * `totalDeals` deals over 200 organizations. The target organization has a 200-role DAG (a
 * spine of 110 roles plus diamonds); the others have a root role only (and, with their members,
 * four roles under it). In the target, owners and owner roles spread over the DAG and the
 * visibilities are mixed; every 97th deal belongs to the mid-level member. One organization is a
 * chain of 110 roles whose controlled and private deals are owned by roles at depth 104–109, so
 * its members at depth 2 and depth 100 see the same deals: the depth rows compare depth alone,
 * not two different amounts of visible data.
 */
export async function seedRlsData(
  owner: pg.Pool,
  totalDeals: number,
  log: (s: string) => void,
): Promise<RlsData> {
  const orgs = 200
  log(`seeding ${orgs} organizations and ${totalDeals.toLocaleString()} deals`)
  const target = await seedOrganization(owner, 'bench-target', {
    roles: 200,
    depth: 110,
    extraEdges: 150,
  })
  const ownerUser = await addUser(owner, target.orgId, target.rootRoleId, 'owner@bench-target.test')
  const depthOrg = await seedOrganization(owner, 'bench-depth', {
    roles: 111,
    depth: 110,
    extraEdges: 0,
  })
  const others: string[] = []
  for (let i = 2; i < orgs; i++) {
    const { rows } = await owner.query(
      `insert into core.organizations (name, slug) values ($1, $1) returning id`,
      [`bench-${i}`],
    )
    const orgId = rows[0]?.id as string
    await owner.query('select rbac.create_root_role($1)', [orgId])
    others.push(orgId)
  }
  const member = await addUser(owner, target.orgId, target.roleIds[50] as string, 'mid@bench.test')
  await addUser(owner, depthOrg.orgId, depthOrg.rootRoleId, 'owner@bench-depth.test')
  const shallowUser = await addUser(
    owner,
    depthOrg.orgId,
    depthOrg.roleIds[2] as string,
    'shallow@bench.test',
  )
  const deepUser = await addUser(
    owner,
    depthOrg.orgId,
    depthOrg.roleIds[100] as string,
    'deep@bench.test',
  )
  await seedMembers(owner, [target.orgId, depthOrg.orgId, ...others], 25)
  await owner.query('alter table app.deals disable trigger user')
  const perOrg = Math.floor(totalDeals / orgs)
  await owner.query(
    `insert into app.deals (organization_id, title, visibility, owner_id, owner_role_id, amount, created_at)
     select $1, 'deal ' || g, (array['private','controlled','public'])[1 + g % 3],
       case when g % 97 = 0 then $3::uuid else gen_random_uuid() end,
       ($2::uuid[])[1 + g % array_length($2::uuid[], 1)], g % 1000, now() - g * interval '1 second'
     from generate_series(1, $4) g`,
    [target.orgId, target.roleIds, member, perOrg],
  )
  await owner.query(
    `insert into app.deals (organization_id, title, visibility, owner_id, owner_role_id, amount, created_at)
     select $1, 'deal ' || g, (array['private','controlled','public'])[1 + g % 3], gen_random_uuid(),
       ($2::uuid[])[105 + g % 6], g % 1000, now() - g * interval '1 second'
     from generate_series(1, $3) g`,
    [depthOrg.orgId, depthOrg.roleIds, perOrg],
  )
  await owner.query(
    `insert into app.deals (organization_id, title, visibility, owner_id, owner_role_id, created_at)
     select o.id, 'deal ' || g, 'public', gen_random_uuid(), r.id, now() - g * interval '1 second'
     from unnest($1::uuid[]) o(id) join core.roles r on r.organization_id = o.id and r.is_root,
     generate_series(1, $2) g`,
    [others, perOrg],
  )
  await owner.query('alter table app.deals enable trigger user')
  await owner.query('vacuum analyze')
  return {
    target,
    perOrg,
    member,
    depthOrgId: depthOrg.orgId,
    shallowUser,
    deepUser,
    ownerUser,
  }
}

/**
 * `perOrg` members in each organization, on roles below the root (each organization without a
 * DAG gets four roles under its root first): the membership tables have realistic sizes, so
 * plans are the ones a real deployment gets, not those of a table with a handful of rows.
 */
export async function seedMembers(owner: pg.Pool, orgIds: string[], perOrg: number): Promise<void> {
  const client = await owner.connect()
  try {
    await client.query('begin')
    await client.query(`select set_config('tenantbase.allow_uninvited_user', 'on', true)`)
    await client.query(
      `with o as (
         select r.organization_id, r.id as root_id from core.roles r
         where r.is_root and r.organization_id = any ($1::uuid[])
           and not exists (select 1 from rbac.role_edges e where e.organization_id = r.organization_id)),
       added as (
         insert into core.roles (organization_id, name)
         select o.organization_id, 'team-' || g from o, generate_series(1, 4) g
         returning organization_id, id)
       insert into rbac.role_edges (organization_id, parent_role_id, child_role_id)
       select a.organization_id, o.root_id, a.id from added a join o using (organization_id)`,
      [orgIds],
    )
    await client.query(
      `with slots as (
         select o.id as organization_id, g, row_number() over () as n
         from unnest($1::uuid[]) o(id), generate_series(1, $2) g),
       users as (
         insert into auth.users (instance_id, id, aud, role, email, encrypted_password,
           email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
         select '00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated',
           'authenticated', 'member-' || n || '@bench-members.test', '', now(),
           '{"provider":"email","providers":["email"]}', '{}', now(), now()
         from slots
         returning id, email)
       insert into core.memberships (organization_id, user_id, role_id)
       select s.organization_id, u.id, case
         -- Every organization has exactly one owner: the first member where there is none yet.
         when s.g = 1 and not exists (select 1 from core.memberships m join core.roles r on r.id = m.role_id
                                      where m.organization_id = s.organization_id and r.is_root)
           then (select r.id from core.roles r where r.organization_id = s.organization_id and r.is_root)
         else (select r.id from core.roles r where r.organization_id = s.organization_id and not r.is_root
               order by md5(r.id::text || s.n::text) limit 1) end
       from slots s join users u on u.email = 'member-' || s.n || '@bench-members.test'`,
      [orgIds, perOrg],
    )
    await client.query('commit')
  } catch (error) {
    await client.query('rollback')
    throw error
  } finally {
    client.release()
  }
}
