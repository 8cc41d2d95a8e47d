import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JWT_SECRET } from '#src/keys.ts'
import { createTestStack, type TestStack } from '#src/testing/index.ts'

// A request's BEGIN, settings, statement and COMMIT travel pipelined (rest/transaction.ts): these
// pin down that the transaction still behaves as PostgREST's one-statement-at-a-time transaction.
let stack: TestStack
let rest: (path: string, init?: RequestInit & { key?: string }) => Promise<Response>
beforeAll(async () => {
  stack = await createTestStack()
  rest = (path, { key = stack.anonKey, ...init } = {}) =>
    fetch(`${stack.url}/rest/v1/${path}`, {
      ...init,
      headers: {
        apikey: stack.anonKey,
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        ...(init.headers as Record<string, string>),
      },
    })
  await stack.db.query(`
    create table public.tx_log (id serial primary key, note text not null, by_role text not null default current_user);
    grant select, insert on public.tx_log to anon, public;
    grant usage on sequence public.tx_log_id_seq to anon, public;
    create function public.tx_settings() returns jsonb language sql stable as $$
      select jsonb_build_object(
        'role', current_user,
        'claims', current_setting('request.jwt.claims', true)::jsonb,
        'method', current_setting('request.method', true),
        'path', current_setting('request.path', true),
        'marker', current_setting('request.headers', true)::jsonb ->> 'x-marker',
        'cookies', current_setting('request.cookies', true)::jsonb,
        'search_path', current_setting('search_path'),
        'read_only', current_setting('transaction_read_only'),
        'timezone', current_setting('timezone'))
    $$;
    create function public.tx_settings_volatile() returns jsonb language sql volatile as
      'select public.tx_settings()';
    create function public.log_then_fail(note text) returns void language plpgsql as $$
      begin
        insert into public.tx_log (note) values (note);
        raise exception 'failed after writing %', note using errcode = 'P0001', hint = 'rolled back';
      end $$;
    create function public.log_note(note text) returns setof public.tx_log language sql as
      'insert into public.tx_log (note) values (note) returning *';
    create function public.log_scalar(note text) returns int language sql as
      'insert into public.tx_log (note) values (note) returning id';
    grant execute on all functions in schema public to anon, public;`)
  await stack.db.superuser.query(`do $$ begin
      execute format('alter role authenticator in database %I set pgrst.db_tx_end = %L', current_database(), 'commit-allow-override');
    end $$`)
})
afterAll(() => stack.close())

const notes = async (note: string) =>
  (await stack.db.query('select note, by_role from public.tx_log where note = $1', [note])).map(
    (r) => `${r.note}:${r.by_role}`,
  )

describe('one transaction per request, pipelined', () => {
  it('gives the function the request settings, read only for GET and stable functions', async () => {
    const stable = await rest('rpc/tx_settings', {
      method: 'POST',
      body: '{}',
      headers: { 'x-marker': 'm1', cookie: 'a=1; b=two', prefer: 'timezone=Asia/Tokyo' },
    })
    expect(stable.status).toBe(200)
    expect(await stable.json()).toEqual({
      role: 'anon',
      claims: expect.objectContaining({ role: 'anon', iss: 'supabase-demo' }),
      method: 'POST',
      path: '/rpc/tx_settings',
      marker: 'm1',
      cookies: { a: '1', b: 'two' },
      search_path: '"public", "public", "extensions"',
      read_only: 'on',
      timezone: 'Asia/Tokyo',
    })
    const volatile = await rest('rpc/tx_settings_volatile', {
      method: 'POST',
      body: '{}',
      key: stack.serviceRoleKey,
    })
    expect(await volatile.json()).toMatchObject({
      role: 'service_role',
      claims: expect.objectContaining({ role: 'service_role' }),
      method: 'POST',
      read_only: 'off',
    })
    const viaGet = await rest('rpc/tx_settings_volatile', { method: 'GET' })
    expect(await viaGet.json()).toMatchObject({ method: 'GET', read_only: 'on' })
  })

  it("rolls back a statement that fails and answers with PostgreSQL's error", async () => {
    const failed = await rest('rpc/log_then_fail', {
      method: 'POST',
      body: JSON.stringify({ note: 'doomed' }),
    })
    expect(failed.status).toBe(400)
    expect(await failed.json()).toEqual({
      code: 'P0001',
      message: 'failed after writing doomed',
      details: null,
      hint: 'rolled back',
    })
    expect(await notes('doomed')).toEqual([])
    // The connection went back clean: the next requests commit, as the caller's role.
    for (const note of ['after-1', 'after-2', 'after-3']) {
      const ok = await rest('rpc/log_note', { method: 'POST', body: JSON.stringify({ note }) })
      expect(ok.status).toBe(200)
      expect(await notes(note)).toEqual([`${note}:anon`])
    }
    const write = await rest('rpc/log_note', { method: 'GET' })
    expect(write.status).toBe(404)
    const readOnly = await rest('rpc/log_note?note=in-get', { method: 'GET' })
    expect(readOnly.status).toBe(405)
    expect(await readOnly.json()).toMatchObject({ code: '25006' })
    expect(await notes('in-get')).toEqual([])
  })

  it('ends with ROLLBACK for Prefer: tx=rollback, with the result still returned', async () => {
    const composite = await rest('rpc/log_note', {
      method: 'POST',
      body: JSON.stringify({ note: 'rolled-set' }),
      headers: { prefer: 'tx=rollback' },
    })
    expect(composite.status).toBe(200)
    expect(composite.headers.get('preference-applied')).toBe('tx=rollback')
    expect(await composite.json()).toEqual([expect.objectContaining({ note: 'rolled-set' })])
    const scalar = await rest('rpc/log_scalar', {
      method: 'POST',
      body: JSON.stringify({ note: 'rolled-scalar' }),
      headers: { prefer: 'tx=rollback' },
    })
    expect(scalar.status).toBe(200)
    expect(typeof (await scalar.json())).toBe('number')
    expect(await notes('rolled-set')).toEqual([])
    expect(await notes('rolled-scalar')).toEqual([])
    const kept = await rest('rpc/log_scalar', {
      method: 'POST',
      body: JSON.stringify({ note: 'kept' }),
      headers: { prefer: 'tx=commit' },
    })
    expect(kept.status).toBe(200)
    expect(await notes('kept')).toEqual(['kept:anon'])
  })

  it('rolls back a strict max-affected call checked after its statement', async () => {
    await rest('rpc/log_note', { method: 'POST', body: JSON.stringify({ note: 'many' }) })
    const refused = await rest('rpc/log_note', {
      method: 'POST',
      body: JSON.stringify({ note: 'over-limit' }),
      headers: { prefer: 'handling=strict, max-affected=0' },
    })
    expect(refused.status).toBe(400)
    expect(await refused.json()).toMatchObject({ code: 'PGRST124' })
    expect(await notes('over-limit')).toEqual([])
  })

  it('never runs the statement when the role does not exist, not even as the authenticator', async () => {
    const forged = await new SignJWT({ role: 'no_such_role' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(JWT_SECRET))
    const refused = await rest('rpc/log_note', {
      method: 'POST',
      body: JSON.stringify({ note: 'ghost' }),
      key: forged,
    })
    expect(refused.status).toBe(401)
    expect(await refused.json()).toEqual({
      code: '22023',
      message: 'role "no_such_role" does not exist',
      details: null,
      hint: null,
    })
    expect(await notes('ghost')).toEqual([])
    const table = await rest('tx_log?select=note', { key: forged })
    expect(table.status).toBe(401)
    expect(await table.json()).toMatchObject({ code: '22023' })
    // And the pooled connection it used serves the next caller normally.
    const next = await rest('rpc/log_note', {
      method: 'POST',
      body: JSON.stringify({ note: 'after-ghost' }),
    })
    expect(next.status).toBe(200)
    expect(await notes('after-ghost')).toEqual(['after-ghost:anon'])
  })

  it('keeps every request in its own transaction under concurrency', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2 === 0
          ? rest('rpc/log_note', { method: 'POST', body: JSON.stringify({ note: `c-${i}` }) })
          : rest('rpc/log_then_fail', { method: 'POST', body: JSON.stringify({ note: `c-${i}` }) }),
      ),
    )
    expect(results.map((r) => r.status)).toEqual(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 200 : 400)),
    )
    const rows = await stack.db.query<{ note: string }>(
      "select note from public.tx_log where note like 'c-%' order by id",
    )
    expect(rows.map((r) => r.note).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `c-${i * 2}`).sort(),
    )
  })
})
