import type pg from 'pg'

export type WithUserOptions = {
  /**
   * The user's verified account email, for invitation acceptance (core.get_current_user_email()).
   * Pass it only once the user has proved they own it (Payload: `_verified` with `auth.verify`);
   * without it, accepting an invitation is refused.
   */
  email?: string
  /** The database role the statements run as; `authenticated` unless the caller is a service. */
  role?: 'authenticated' | 'service_role'
}

/**
 * Runs fn in one transaction as the given user, the way the Payload adapter identifies callers:
 * `set local role` plus the session variables app.current_user_id / app.current_user_email that
 * core.get_current_user_id() reads. The pool's login must be a member of the role (for example
 * the `authenticator` login, or grant `authenticated` to the app's own login).
 */
export async function withUser<T>(
  pool: pg.Pool,
  userId: string,
  fn: (client: pg.PoolClient) => Promise<T>,
  options: WithUserOptions = {},
): Promise<T> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(userId)) {
    throw new TypeError(`withUser: "${userId}" is not a user id (uuid)`)
  }
  const client = await pool.connect()
  try {
    await client.query('begin')
    await client.query(
      options.role === 'service_role'
        ? 'set local role service_role'
        : 'set local role authenticated',
    )
    await client.query(
      `select set_config('app.current_user_id', $1, true), set_config('app.current_user_email', $2, true)`,
      [userId, options.email?.toLowerCase() ?? ''],
    )
    const result = await fn(client)
    await client.query('commit')
    return result
  } catch (error) {
    await client.query('rollback').catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}
