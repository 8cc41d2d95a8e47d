import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStack, type TestStack } from '#src/testing/index.ts'

// PostgREST's filter operators, RPC resolution and write preferences through supabase-js (and
// raw HTTP where supabase-js has no call for it), on fixture tables made for this file.
let stack: TestStack
let rest: (path: string, init?: RequestInit) => Promise<Response>
beforeAll(async () => {
  stack = await createTestStack()
  rest = (path, init = {}) =>
    fetch(`${stack.url}/rest/v1/${path}`, {
      ...init,
      headers: { apikey: stack.anonKey, ...(init.headers as Record<string, string>) },
    })
  await stack.db.query(`
    create table public.items (id int primary key, name text, tags text[], span int4range, body tsvector,
      "odd name" text, price numeric default 9.5, created date default '2020-01-02');
    insert into public.items values
      (1, 'apple pie', '{fruit,sweet}', '[1,5)', to_tsvector('english', 'the quick brown fox'), 'x', 1, '2020-01-01'),
      (2, 'Banana', '{fruit}', '[10,20)', to_tsvector('english', 'lazy dogs sleep'), null, 2, '2020-01-01'),
      (3, 'carrot', null, '[5,10)', to_tsvector('english', 'quick carrots'), 'y', null, '2020-01-01');
    create type public.point2 as (x int, y int);
    create function public.norm(p public.point2) returns int language sql immutable as 'select abs(p.x) + abs(p.y)';
    create function public.shout(text) returns text language sql immutable as 'select upper($1)';
    create function public.pick(a int) returns text language sql immutable as $$ select 'int' $$;
    create function public.pick(b text) returns text language sql immutable as $$ select 'text' $$;
    create function public.twin(a int) returns int language sql immutable as 'select 1';
    create function public.twin(a text) returns int language sql immutable as 'select 2';
    create function public.echo_email(email text) returns text language sql immutable as 'select email';
    create function public.all_items() returns setof public.items language sql stable as 'select * from public.items';
    create function public.not_found() returns void language plpgsql as $$ begin raise sqlstate 'PT404' using message = 'no such thing'; end $$;
    create function public.teapot() returns void language plpgsql as $$ begin raise sqlstate 'PT418' using message = 'short and stout'; end $$;
    grant all on all tables in schema public to anon;
    grant execute on all functions in schema public to anon;`)
  // PostgREST's in-database settings, scoped to this test database.
  await stack.db.superuser.query(`do $$ begin
      execute format('alter role authenticator in database %I set pgrst.db_tx_end = %L', current_database(), 'commit-allow-override');
      execute format('alter role authenticator in database %I set pgrst.db_plan_enabled = %L', current_database(), 'true');
    end $$`)
})
afterAll(() => stack.close())

const ids = (rows: { id: number }[] | null) => rows?.map((r) => r.id)

describe('filter operators', () => {
  it('like/ilike with any/all, match and imatch', async () => {
    const anon = stack.client()
    expect(
      ids((await anon.from('items').select('id').likeAnyOf('name', ['%pie', 'car%'])).data),
    ).toEqual([1, 3])
    expect(
      ids((await anon.from('items').select('id').ilikeAllOf('name', ['b%', '%A'])).data),
    ).toEqual([2])
    expect(ids((await anon.from('items').select('id').match({ id: 2 })).data)).toEqual([2])
    expect(
      ids((await anon.from('items').select('id').filter('name', 'match', '^[a-c]')).data),
    ).toEqual([1, 3])
    expect(
      ids((await anon.from('items').select('id').filter('name', 'imatch', '^B')).data),
    ).toEqual([2])
  })

  it('full-text search with every flavour and a config', async () => {
    const anon = stack.client()
    const q = (type?: 'plain' | 'phrase' | 'websearch', query = 'quick') =>
      anon
        .from('items')
        .select('id')
        .textSearch('body', query, { config: 'english', type })
        .order('id')
    expect(ids((await q()).data)).toEqual([1, 3])
    expect(ids((await q('plain', 'lazy dogs')).data)).toEqual([2])
    expect(ids((await q('phrase', 'brown fox')).data)).toEqual([1])
    expect(ids((await q('websearch', 'quick -carrots')).data)).toEqual([1])
  })

  it('overlaps, distinct-from and range operators', async () => {
    const anon = stack.client()
    expect(
      ids((await anon.from('items').select('id').overlaps('tags', ['sweet', 'x'])).data),
    ).toEqual([1])
    expect(
      ids(
        (await anon.from('items').select('id').filter('name', 'isdistinct', 'Banana').order('id'))
          .data,
      ),
    ).toEqual([1, 3])
    expect(ids((await anon.from('items').select('id').rangeLt('span', '[5,6)')).data)).toEqual([1])
    expect(ids((await anon.from('items').select('id').rangeGt('span', '[5,6)')).data)).toEqual([2])
    expect(
      ids((await anon.from('items').select('id').rangeGte('span', '[5,6)').order('id')).data),
    ).toEqual([2, 3])
    expect(ids((await anon.from('items').select('id').rangeLte('span', '[1,6)')).data)).toEqual([1])
    expect(
      ids((await anon.from('items').select('id').rangeAdjacent('span', '[20,30)')).data),
    ).toEqual([2])
  })

  it('quoted identifiers in select, filters and order', async () => {
    const res = await rest('items?select=id,"odd name"&"odd name"=eq.y&order="odd name".desc')
    expect(await res.json()).toEqual([{ id: 3, 'odd name': 'y' }])
  })
})

describe('rpc', () => {
  it('takes composite arguments and a single unnamed parameter', async () => {
    const anon = stack.client()
    expect((await anon.rpc('norm', { p: { x: -2, y: 3 } })).data).toBe(5)
    const raw = await rest('rpc/shout', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hey',
    })
    expect(await raw.json()).toBe('HEY')
  })

  it('resolves overloads by argument names and reports true ambiguity', async () => {
    const anon = stack.client()
    expect((await anon.rpc('pick', { a: 1 })).data).toBe('int')
    expect((await anon.rpc('pick', { b: 'x' })).data).toBe('text')
    const ambiguous = await anon.rpc('twin', { a: 1 })
    expect(ambiguous.status).toBe(300)
    expect(ambiguous.error).toEqual({
      code: 'PGRST203',
      message:
        'Could not choose the best candidate function between: public.twin(a => integer), public.twin(a => text)',
      details: null,
      hint: 'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
    })
  })

  it('never takes GET arguments for filters, and counts exactly', async () => {
    const anon = stack.client()
    const email = await anon.rpc('echo_email', { email: 'a.b@example.com' }, { get: true })
    expect(email.data).toBe('a.b@example.com')
    const like = await anon.rpc('echo_email', { email: 'like.x' }, { get: true })
    expect(like.data).toBe('like.x')
    const counted = await anon.rpc('all_items', {}, { count: 'exact' }).range(0, 0)
    expect(counted).toMatchObject({ count: 3, status: 206 })
  })

  it('maps PTxxx SQLSTATEs to HTTP xxx', async () => {
    const anon = stack.client()
    expect(await anon.rpc('not_found')).toMatchObject({
      status: 404,
      error: { code: 'PT404', message: 'no such thing' },
    })
    expect((await anon.rpc('teapot')).status).toBe(418)
  })
})

describe('writes', () => {
  it('upserts on the primary key without on_conflict: 201 when inserting, 200 when updating', async () => {
    const anon = stack.client()
    const inserted = await anon.from('items').upsert({ id: 20, name: 'new' }).select('id, name')
    expect(inserted).toMatchObject({ status: 201, data: [{ id: 20, name: 'new' }] })
    const updated = await anon.from('items').upsert({ id: 20, name: 'renamed' }).select('id, name')
    expect(updated).toMatchObject({ status: 200, data: [{ id: 20, name: 'renamed' }] })
  })

  it('reports totals in Content-Range for update and delete with a count', async () => {
    const anon = stack.client()
    await anon.from('items').insert([{ id: 30 }, { id: 31 }])
    const updated = await rest('items?id=in.(30,31)', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', prefer: 'count=exact' },
      body: JSON.stringify({ name: 'bulk' }),
    })
    expect(updated.status).toBe(204)
    expect(updated.headers.get('content-range')).toBe('0-1/2')
    const deleted = await anon.from('items').delete({ count: 'exact' }).in('id', [30, 31])
    expect(deleted).toMatchObject({ status: 204, count: 2 })
  })

  it('rolls back with Prefer: tx=rollback and refuses over max-affected', async () => {
    const anon = stack.client()
    const res = await rest('items', {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'tx=rollback, return=representation' },
      body: JSON.stringify({ id: 40, name: 'ghost' }),
    })
    expect(res.status).toBe(201)
    expect(res.headers.get('preference-applied')).toContain('tx=rollback')
    expect((await anon.from('items').select('id').eq('id', 40)).data).toEqual([])
    // supabase-js types maxAffected for PostgREST 13+ schemas only; the request is the same.
    const limited = (await anon
      .from('items')
      .update({ name: 'many' })
      .gt('id', 0)
      .maxAffected(1)) as unknown as { error: unknown }
    expect(limited.error).toEqual({
      code: 'PGRST124',
      message: 'Query result exceeds max-affected preference constraint',
      details: 'The query affects 4 rows',
      hint: null,
    })
    expect((await anon.from('items').select('name').eq('id', 1)).data).toEqual([
      { name: 'apple pie' },
    ])
  })

  it('fills absent columns with their defaults under missing=default', async () => {
    const anon = stack.client()
    const { data } = await anon
      .from('items')
      .insert([{ id: 50, price: 1 }, { id: 51 }], { defaultToNull: false })
      .select('id, price, created')
    expect(data).toEqual([
      { id: 50, price: 1, created: '2020-01-02' },
      { id: 51, price: 9.5, created: '2020-01-02' },
    ])
  })
})

describe('media types and counts', () => {
  it('answers CSV, stripped nulls and the query plan', async () => {
    const csv = await stack
      .client()
      .from('items')
      .select('id, name, tags')
      .in('id', [1, 3])
      .order('id')
      .csv()
    expect(csv.data).toBe('id,name,tags\n1,"apple pie","{fruit,sweet}"\n3,carrot,')
    const stripped = await rest('items?select=id,tags&id=eq.3', {
      headers: { accept: 'application/vnd.pgrst.array+json;nulls=stripped' },
    })
    expect(await stripped.json()).toEqual([{ id: 3 }])
    const plan = await stack.client().from('items').select('id').explain({ format: 'json' })
    expect(
      (plan.data as unknown as { Plan: { 'Node Type': string } }[])[0]?.Plan['Node Type'],
    ).toBe('Aggregate')
    const verbose = await stack
      .client()
      .from('items')
      .select('id')
      .explain({ format: 'json', verbose: true })
    expect((verbose.data as unknown as Record<string, unknown>[])[0]).toHaveProperty(
      'Query Identifier',
    )
    // The settings that differ from PostgreSQL's defaults, as on the CLI's database.
    const settings = await stack
      .client()
      .from('items')
      .select('id')
      .explain({ format: 'json', settings: true })
    expect((settings.data as unknown as { Settings: unknown }[])[0]?.Settings).toEqual({
      effective_cache_size: '128MB',
      search_path: '"public", "public", "extensions"',
    })
  })

  it('answers planned and estimated counts with 206 for a partial page', async () => {
    const anon = stack.client()
    for (const count of ['planned', 'estimated'] as const) {
      const res = await anon.from('items').select('id', { count }).limit(1)
      expect(res.status).toBe(206)
      expect(res.count).toBeGreaterThan(1)
    }
  })
})

describe('malformed bodies', () => {
  it('answer 400 to JSON nested deeper than the limit', async () => {
    const deep = `${'['.repeat(3000)}${']'.repeat(3000)}`
    for (const path of ['items', 'rpc/echo_email']) {
      const res = await rest(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"name": ${deep}}`,
      })
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({
        code: 'PGRST102',
        message: 'JSON nested deeper than 256 levels',
        details: null,
        hint: null,
      })
    }
  })
})

describe('requests without an API key', () => {
  it('run as anon, as behind the CLI gateway', async () => {
    const res = await fetch(`${stack.url}/rest/v1/items?select=id&id=eq.1`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual([{ id: 1 }])
  })
})
