import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStack, type TestStack } from '#src/testing/index.ts'

// Resource embedding, computed fields and relationships through supabase-js, on small fixture
// tables made for this file.
let stack: TestStack
beforeAll(async () => {
  stack = await createTestStack()
  await stack.db.query(`
    create table public.authors (id int primary key, name text not null, bio jsonb);
    create table public.books (id int primary key, title text not null, author_id int references public.authors,
      editor_id int constraint books_editor_fkey references public.authors, pages int);
    create table public.tags (id int primary key, label text);
    create table public.book_tags (book_id int references public.books, tag_id int references public.tags, primary key (book_id, tag_id));
    create table public.author_profiles (author_id int primary key references public.authors, website text);
    create function public.initials(public.authors) returns text language sql stable as $$ select left($1.name, 1) $$;
    create function public.long_books(public.authors) returns setof public.books language sql stable
      as $$ select * from public.books where author_id = $1.id and pages > 300 $$;
    create function public.prolific() returns setof public.authors language sql stable
      as $$ select * from public.authors where id in (select author_id from public.books group by 1 having count(*) > 1) $$;
    insert into public.authors values (1, 'Ada', '{"born": {"year": 1815}}'), (2, 'Grace', '{"born": {"year": 1906}}'), (3, 'Alan', null);
    insert into public.books values (10, 'Notes', 1, 2, 120), (11, 'Engines', 1, null, 400), (12, 'Cobol', 2, 1, 350), (13, 'Orphan', null, null, 10);
    insert into public.tags values (1, 'math'), (2, 'history');
    insert into public.book_tags values (10, 1), (11, 1), (11, 2);
    insert into public.author_profiles values (1, 'ada.example');
    grant select on all tables in schema public to anon;
    grant execute on all functions in schema public to anon;`)
})
afterAll(() => stack.close())

describe('resource embedding', () => {
  it('embeds many-to-one by table name, by column name, and with a constraint hint', async () => {
    const anon = stack.client()
    const { data, error } = await anon
      .from('books')
      .select('title, authors!author_id(name), editor:authors!books_editor_fkey(name)')
      .order('id')
      .limit(2)
    expect(error).toBeNull()
    expect(data).toEqual([
      { title: 'Notes', authors: { name: 'Ada' }, editor: { name: 'Grace' } },
      { title: 'Engines', authors: { name: 'Ada' }, editor: null },
    ])
    const byColumn = await anon.from('books').select('title, author_id(name)').eq('id', 12)
    expect(byColumn.data).toEqual([{ title: 'Cobol', author_id: { name: 'Grace' } }])
  })

  it('answers PGRST201 for an ambiguous embed and PGRST200 for a missing one', async () => {
    const anon = stack.client()
    const ambiguous = await anon.from('books').select('title, authors(name)')
    expect(ambiguous.status).toBe(300)
    expect(ambiguous.error).toMatchObject({
      code: 'PGRST201',
      message:
        "Could not embed because more than one relationship was found for 'books' and 'authors'",
      hint: "Try changing 'authors' to one of the following: 'authors!books_author_id_fkey', 'authors!books_editor_fkey'. Find the desired relationship in the 'details' key.",
    })
    expect(ambiguous.error?.details).toEqual([
      {
        cardinality: 'many-to-one',
        embedding: 'books with authors',
        relationship: 'books_author_id_fkey using books(author_id) and authors(id)',
      },
      {
        cardinality: 'many-to-one',
        embedding: 'books with authors',
        relationship: 'books_editor_fkey using books(editor_id) and authors(id)',
      },
    ])
    const missing = await anon.from('books').select('title, tagz(*)')
    expect(missing.status).toBe(400)
    expect(missing.error).toEqual({
      code: 'PGRST200',
      message: "Could not find a relationship between 'books' and 'tagz' in the schema cache",
      details:
        "Searched for a foreign key relationship between 'books' and 'tagz' in the schema 'public', but no matches were found.",
      hint: "Perhaps you meant 'tags' instead of 'tagz'.",
    })
  })

  it('embeds one-to-many with filters, order and limit on the embedded resource', async () => {
    const { data } = await stack
      .client()
      .from('authors')
      .select('name, books!books_author_id_fkey(title)')
      .gt('books.pages', 100)
      .order('title', { referencedTable: 'books', ascending: false })
      .limit(1, { referencedTable: 'books' })
      .order('id')
    expect(data).toEqual([
      { name: 'Ada', books: [{ title: 'Notes' }] },
      { name: 'Grace', books: [{ title: 'Cobol' }] },
      { name: 'Alan', books: [] },
    ])
  })

  it('embeds many-to-many through a junction table and one-to-one as an object', async () => {
    const { data } = await stack
      .client()
      .from('books')
      .select('title, tags(label)')
      .in('id', [10, 11])
      .order('id')
    expect(data).toEqual([
      { title: 'Notes', tags: [{ label: 'math' }] },
      { title: 'Engines', tags: [{ label: 'math' }, { label: 'history' }] },
    ])
    const profile = await stack
      .client()
      .from('authors')
      .select('name, author_profiles(website)')
      .eq('id', 1)
      .single()
    expect(profile.data).toEqual({ name: 'Ada', author_profiles: { website: 'ada.example' } })
  })

  it('filters parents with !inner and with is.null on an embed', async () => {
    const anon = stack.client()
    const inner = await anon
      .from('authors')
      .select('name, books!books_author_id_fkey!inner(title)')
      .eq('books.title', 'Cobol')
    expect(inner.data).toEqual([{ name: 'Grace', books: [{ title: 'Cobol' }] }])
    const none = await anon
      .from('books')
      .select('title, authors!author_id(name)')
      .is('authors', null)
    expect(none.data).toEqual([{ title: 'Orphan', authors: null }])
  })

  it('spreads a to-one embed into the parent and counts embedded rows', async () => {
    const anon = stack.client()
    const spread = await anon
      .from('books')
      .select('title, ...authors!author_id(author:name)')
      .eq('id', 11)
    expect(spread.data).toEqual([{ title: 'Engines', author: 'Ada' }])
    const counted = await anon
      .from('authors')
      .select('name, books!books_author_id_fkey(count)')
      .order('id')
    expect(counted.data).toEqual([
      { name: 'Ada', books: [{ count: 2 }] },
      { name: 'Grace', books: [{ count: 1 }] },
      { name: 'Alan', books: [{ count: 0 }] },
    ])
  })

  it('embeds on RPC results that return table rows', async () => {
    const { data, error } = await stack
      .client()
      .rpc('prolific')
      .select('name, books!books_author_id_fkey(id)')
    expect(error).toBeNull()
    expect(data).toEqual([{ name: 'Ada', books: [{ id: 10 }, { id: 11 }] }])
  })

  it('selects computed fields and embeds computed relationships', async () => {
    const { data, error } = await stack
      .client()
      .from('authors')
      .select('name, initials, long_books(title)')
      .order('id')
      .limit(2)
    expect(error).toBeNull()
    expect(data).toEqual([
      { name: 'Ada', initials: 'A', long_books: [{ title: 'Engines' }] },
      { name: 'Grace', initials: 'G', long_books: [{ title: 'Cobol' }] },
    ])
    const filtered = await stack.client().from('authors').select('name').eq('initials', 'G')
    expect(filtered.data).toEqual([{ name: 'Grace' }])
  })

  it('selects, filters and orders on JSON paths', async () => {
    const { data } = await stack
      .client()
      .from('authors')
      .select('name, year:bio->born->year, raw:bio->born->>year')
      .gt('bio->born->year', 1800)
      .order('bio->born->year', { ascending: false })
    expect(data).toEqual([
      { name: 'Grace', year: 1906, raw: '1906' },
      { name: 'Ada', year: 1815, raw: '1815' },
    ])
  })
})
