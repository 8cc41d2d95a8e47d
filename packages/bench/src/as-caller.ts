import type pg from 'pg'

/** Who runs a statement: a user (JWT sub, plus any extra claims) or the service role. */
export type Caller = { sub: string; claims?: Record<string, unknown> } | null

/**
 * Runs one statement the way PostgREST does: a read-only transaction with the role and the
 * request's JWT claims set, the statement, commit. Returns the rows.
 */
export async function asCaller(
  db: pg.Pool,
  caller: Caller,
  sql: string,
  params: unknown[] = [],
  options: { timeoutMs?: number } = {},
): Promise<Record<string, unknown>[]> {
  const client = await db.connect()
  try {
    await client.query('begin read only')
    const role = caller ? 'authenticated' : 'service_role'
    const claims = caller ? { ...caller.claims, sub: caller.sub, role } : { role }
    await client.query(
      `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`,
      [role, JSON.stringify(claims)],
    )
    if (options.timeoutMs)
      await client.query(`select set_config('statement_timeout', $1, true)`, [
        String(options.timeoutMs),
      ])
    const result = await client.query(sql, params)
    await client.query('commit')
    return result.rows
  } catch (error) {
    await client.query('rollback').catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}

export const user = (sub: string, claims?: Record<string, unknown>): Caller => ({ sub, claims })
