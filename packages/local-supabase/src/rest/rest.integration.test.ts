import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JWT_SECRET } from '#src/keys.ts'
import { createTestStack, type TestStack } from '#src/testing/index.ts'

let stack: TestStack
const ada = { email: 'ada@example.com', password: 'password123' }
let adaId: string
beforeAll(async () => {
  stack = await createTestStack()
  const user = await stack.db.createUser(ada)
  adaId = user.id
  await stack.db.query(`
    create table public.notes (id serial primary key, owner_id uuid, title text not null, score int, tags text[], created_at timestamptz default now());
    alter table public.notes enable row level security;
    create policy notes_select on public.notes for select to anon, authenticated using (owner_id is null or owner_id = auth.uid());
    create policy notes_insert on public.notes for insert to authenticated with check (owner_id = auth.uid());
    create policy notes_update on public.notes for update to authenticated using (owner_id = auth.uid());
    create policy notes_delete on public.notes for delete to authenticated using (owner_id = auth.uid());
    grant select on public.notes to anon; grant all on public.notes to authenticated; grant usage on sequence public.notes_id_seq to authenticated;
    insert into public.notes (owner_id, title, score, tags) values
      (null, 'public one', 1, '{a,b}'), (null, 'public two', 5, '{b}'), ('${user.id}', 'ada private', 3, '{c}');
    create function public.add(a int, b int default 10) returns int language sql immutable as 'select a + b';
    create function public.whoami() returns text language sql stable as 'select current_user::text';
    create function public.noop() returns void language sql as '';
    create function public.fail(msg text) returns void language plpgsql as $$ begin raise exception '%', msg; end $$;
    create function public.fail_hint() returns void language plpgsql as $$ begin raise exception 'nope' using errcode = '22023', detail = 'd', hint = 'h'; end $$;
    create function public.scores() returns setof int language sql stable as 'select score from public.notes order by score';
    create function public.top_notes(min_score int) returns setof public.notes language sql stable as 'select * from public.notes where score >= min_score';
    create function public.echo(payload jsonb) returns jsonb language sql immutable as 'select payload';
    create function public.write_in_stable() returns void language plpgsql as $$ begin insert into public.notes (title) values ('x'); end $$;
    grant execute on all functions in schema public to anon, authenticated;
    revoke execute on function public.whoami() from public, anon;`)
})
afterAll(() => stack.close())

const signedIn = async () => {
  const client = stack.client()
  await client.auth.signInWithPassword(ada)
  return client
}

describe('rpc', () => {
  it('returns scalars, sets, rows and 204 for void', async () => {
    const anon = stack.client()
    expect((await anon.rpc('add', { a: 2 })).data).toBe(12)
    expect((await anon.rpc('add', { a: 2, b: 3 })).data).toBe(5)
    expect((await anon.rpc('scores')).data).toEqual([1, 5])
    expect(
      (await anon.rpc('top_notes', { min_score: 2 })).data.map((n: { title: string }) => n.title),
    ).toEqual(['public two'])
    expect((await anon.rpc('echo', { payload: { nested: [1, 'x'] } })).data).toEqual({
      nested: [1, 'x'],
    })
    const noop = await anon.rpc('noop')
    expect(noop).toMatchObject({ data: null, error: null, status: 204 })
    expect((await anon.rpc('add', { a: 1 }, { get: true })).data).toBe(11)
  })

  it('runs as the JWT role', async () => {
    expect((await (await signedIn()).rpc('whoami')).data).toBe('authenticated')
    expect((await stack.client(stack.serviceRoleKey).rpc('whoami')).data).toBe('service_role')
  })

  it('maps errors to PostgREST statuses and codes', async () => {
    const anon = stack.client()
    const missing = await anon.rpc('nope', { x: 1 })
    expect(missing).toMatchObject({
      status: 404,
      error: {
        code: 'PGRST202',
        message: 'Could not find the function public.nope(x) in the schema cache',
      },
    })
    const denied = await anon.rpc('whoami')
    expect(denied).toMatchObject({
      status: 401,
      error: { code: '42501', message: 'permission denied for function whoami' },
    })
    const raised = await anon.rpc('fail', { msg: 'custom failure' })
    expect(raised).toMatchObject({
      status: 400,
      error: { code: 'P0001', message: 'custom failure' },
    })
    const detailed = await anon.rpc('fail_hint')
    expect(detailed).toMatchObject({
      status: 400,
      error: { code: '22023', message: 'nope', details: 'd', hint: 'h' },
    })
    const readOnly = await anon.rpc('write_in_stable', {}, { get: true })
    expect(readOnly).toMatchObject({ status: 405, error: { code: '25006' } })
    const badArg = await anon.rpc('add', { a: 'not a number' })
    expect(badArg).toMatchObject({ status: 400, error: { code: '22P02' } })
  })
})

describe('tables', () => {
  it('selects columns with filters, order and range', async () => {
    const anon = stack.client()
    const { data, error } = await anon
      .from('notes')
      .select('title, score')
      .gte('score', 1)
      .order('score', { ascending: false })
    expect(error).toBeNull()
    expect(data).toEqual([
      { title: 'public two', score: 5 },
      { title: 'public one', score: 1 },
    ])
    expect((await anon.from('notes').select('title').in('score', [1, 3])).data).toEqual([
      { title: 'public one' },
    ])
    expect((await anon.from('notes').select('title').ilike('title', '%TWO')).data).toEqual([
      { title: 'public two' },
    ])
    expect(
      (await anon.from('notes').select('title').or('score.eq.1,score.eq.5').order('score')).data,
    ).toHaveLength(2)
    expect(
      (await anon.from('notes').select('title').is('owner_id', null).neq('score', 1)).data,
    ).toEqual([{ title: 'public two' }])
    expect(
      (await anon.from('notes').select('title').contains('tags', ['b']).order('id')).data,
    ).toHaveLength(2)
    expect((await anon.from('notes').select('title').order('id').range(1, 1)).data).toEqual([
      { title: 'public two' },
    ])
  })

  it('counts exactly and reports partial content', async () => {
    const result = await stack.client().from('notes').select('*', { count: 'exact' }).limit(1)
    expect(result).toMatchObject({ count: 2, status: 206 })
  })

  it('applies RLS per role', async () => {
    expect((await stack.client().from('notes').select('title')).data).toHaveLength(2)
    expect((await (await signedIn()).from('notes').select('title')).data).toHaveLength(3)
    expect(
      (await stack.client(stack.serviceRoleKey).from('notes').select('title')).data,
    ).toHaveLength(3)
  })

  it('single() on zero rows is 406 PGRST116', async () => {
    const result = await stack.client().from('notes').select('*').eq('title', 'none').single()
    expect(result).toMatchObject({
      status: 406,
      error: {
        code: 'PGRST116',
        details: 'The result contains 0 rows',
        message: 'Cannot coerce the result to a single JSON object',
      },
    })
    expect(
      (await stack.client().from('notes').select('title').eq('score', 5).single()).data,
    ).toEqual({ title: 'public two' })
  })

  it('inserts, updates and deletes with representations and RLS checks', async () => {
    const client = await signedIn()
    const inserted = await client
      .from('notes')
      .insert({ owner_id: adaId, title: 'new', score: 7 })
      .select('id, title')
      .single()
    expect(inserted).toMatchObject({ status: 201, data: { title: 'new' } })
    const minimal = await client.from('notes').insert({ owner_id: adaId, title: 'quiet' })
    expect(minimal).toMatchObject({ status: 201, data: null, error: null })
    const forged = await client.from('notes').insert({ owner_id: null, title: 'forged' })
    expect(forged).toMatchObject({
      status: 403,
      error: {
        code: '42501',
        message: 'new row violates row-level security policy for table "notes"',
      },
    })
    const updated = await client
      .from('notes')
      .update({ score: 8 })
      .eq('id', inserted.data?.id)
      .select('score')
    expect(updated.data).toEqual([{ score: 8 }])
    const noFilter = await client.from('notes').delete()
    expect(noFilter).toMatchObject({
      status: 400,
      error: { code: '21000', message: 'DELETE requires a WHERE clause' },
    })
    const deleted = await client.from('notes').delete().eq('id', inserted.data?.id)
    expect(deleted.status).toBe(204)
    const anonInsert = await stack.client().from('notes').insert({ title: 'anon' })
    expect(anonInsert).toMatchObject({ status: 401, error: { code: '42501' } })
  })

  it('refuses unknown tables, columns and schemas with PostgREST codes', async () => {
    const anon = stack.client()
    expect(await anon.from('nope').select('*')).toMatchObject({
      status: 404,
      error: { code: 'PGRST205' },
    })
    expect(await anon.from('notes').select('nope')).toMatchObject({
      status: 400,
      error: { code: '42703' },
    })
    expect(await anon.schema('core').from('organizations').select('*')).toMatchObject({
      status: 406,
      error: { code: 'PGRST106' },
    })
  })

  it('never lets a path, filter or body inject SQL', async () => {
    const anon = stack.client()
    // A key with dots names an embedded resource (PGRST108); a stray quote does not parse
    // (PGRST100); anything else is an unknown column (42703). None of it reaches SQL as text.
    for (const [evil, code] of [
      [`'; drop table public.notes; --`, 'PGRST108'],
      [`1); delete from public.notes; --`, 'PGRST100'],
      ['x"y', 'PGRST100'],
      ['ünïcödé', '42703'],
      ['☃', 'PGRST100'],
    ] as const) {
      const filtered = await anon.from('notes').select('title').eq('title', evil)
      expect(filtered.data).toEqual([])
      const column = await anon.from('notes').select('title').eq(evil, 1)
      expect(column.error?.code).toBe(code)
      expect((await anon.from(evil).select('*')).status).toBe(404)
      expect((await anon.rpc('echo', { payload: evil })).data).toBe(evil)
    }
    expect(
      (await stack.client(stack.serviceRoleKey).from('notes').select('id')).data?.length,
    ).toBeGreaterThanOrEqual(3)
  })

  it('refuses a validly signed token whose role does not exist, and bad or expired tokens', async () => {
    const secret = new TextEncoder().encode(JWT_SECRET)
    const forged = await new SignJWT({ role: 'postgres_admin_wannabe' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(secret)
    const result = await stack.client(forged).from('notes').select('id')
    expect(result).toMatchObject({
      status: 401,
      error: { code: '22023', message: 'role "postgres_admin_wannabe" does not exist' },
    })
    const expired = await new SignJWT({ role: 'anon' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(1)
      .sign(secret)
    expect(await stack.client(expired).from('notes').select('id')).toMatchObject({
      status: 401,
      error: { code: 'PGRST303' },
    })
    const wrongKey = await new SignJWT({ role: 'service_role' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('x'.repeat(40)))
    expect(await stack.client(wrongKey).from('notes').select('id')).toMatchObject({
      status: 401,
      error: { code: 'PGRST301' },
    })
  })

  it('answers malformed JSON with PGRST102 and keeps serving', async () => {
    const response = await fetch(`${stack.url}/rest/v1/rpc/add`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, 'content-type': 'application/json' },
      body: '{"a": ',
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ code: 'PGRST102' })
    expect((await stack.client().rpc('add', { a: 1 })).data).toBe(11)
  })
})
