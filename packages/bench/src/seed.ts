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
