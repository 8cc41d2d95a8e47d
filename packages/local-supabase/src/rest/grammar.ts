import { RestError } from '#src/rest/errors.ts'

/**
 * PostgREST's query-string grammar (src/PostgREST/ApiRequest/QueryParams.hs): select trees,
 * filters, logic trees and order terms. Pure parsing; names are resolved later against the
 * schema cache.
 */

export type JsonStep = { arrow: '->' | '->>'; key: string; index: boolean }
export type Field = { name: string; json: JsonStep[] }

export type Aggregate = 'count' | 'sum' | 'avg' | 'max' | 'min'

export type SelectItem =
  | { kind: 'star' }
  | {
      kind: 'field'
      field: Field
      alias?: string
      cast?: string
      aggregate?: Aggregate
      aggregateCast?: string
    }
  | { kind: 'count'; alias?: string; cast?: string }
  | {
      kind: 'embed'
      name: string
      alias?: string
      hint?: string
      joinType?: 'inner' | 'left'
      spread: boolean
      select: SelectItem[]
    }

export type Operation =
  | { kind: 'quant'; op: string; quantifier?: 'any' | 'all'; value: string }
  | { kind: 'simple'; op: string; value: string }
  | { kind: 'in'; values: string[] }
  | { kind: 'is'; value: 'null' | 'not_null' | 'true' | 'false' | 'unknown' }
  | { kind: 'isdistinct'; value: string }
  | { kind: 'fts'; op: string; config?: string; value: string }

export type Filter = { field: Field; negate: boolean; operation: Operation }
export type LogicTree =
  | { kind: 'filter'; filter: Filter }
  | { kind: 'expr'; negate: boolean; op: 'and' | 'or'; children: LogicTree[] }

export type OrderTerm = {
  relation?: string
  field: Field
  direction?: 'asc' | 'desc'
  nulls?: 'first' | 'last'
}

const QUANT_OPS = ['eq', 'gte', 'gt', 'lte', 'lt', 'like', 'ilike', 'match', 'imatch']
const SIMPLE_OPS = ['neq', 'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj']
const FTS_OPS = ['fts', 'plfts', 'phfts', 'wfts']
const AGGREGATES = new Set<Aggregate>(['count', 'sum', 'avg', 'max', 'min'])

export class ParseError extends Error {}

/** A cursor over one parameter value. */
class Cursor {
  pos = 0
  readonly text: string
  constructor(text: string) {
    this.text = text
  }
  get done() {
    return this.pos >= this.text.length
  }
  peek(n = 1) {
    return this.text.slice(this.pos, this.pos + n)
  }
  eat(token: string) {
    if (this.text.startsWith(token, this.pos)) {
      this.pos += token.length
      return true
    }
    return false
  }
  expect(token: string) {
    if (!this.eat(token)) this.fail(`expecting "${token}"`)
  }
  skipSpaces() {
    while (this.peek() === ' ' || this.peek() === '\n' || this.peek() === '\t') this.pos++
  }
  fail(expectation: string): never {
    const found = this.done ? 'end of input' : `"${this.peek()}"`
    throw new ParseError(`unexpected ${found} ${expectation}`)
  }
}

function quoted(c: Cursor): string {
  c.expect('"')
  let out = ''
  while (!c.done && c.peek() !== '"') {
    if (c.peek() === '\\') c.pos++
    out += c.peek()
    c.pos++
  }
  c.expect('"')
  return out
}

/** A field name: quoted, or identifier characters joined by single dashes (not `->`). */
function fieldName(c: Cursor): string {
  c.skipSpaces()
  if (c.peek() === '"') return quoted(c)
  let out = ''
  while (!c.done) {
    const ch = c.peek()
    if (/[\p{L}\p{N}_$ ]/u.test(ch)) {
      out += ch
      c.pos++
    } else if (ch === '-' && c.peek(2) !== '->' && out) {
      out += ch
      c.pos++
    } else break
  }
  out = out.trim()
  if (!out) c.fail('expecting field name (* or [a..z0..9_$])')
  return out
}

function jsonPath(c: Cursor): JsonStep[] {
  const steps: JsonStep[] = []
  for (;;) {
    let arrow: '->' | '->>'
    if (c.eat('->>')) arrow = '->>'
    else if (c.eat('->')) arrow = '->'
    else return steps
    let key: string
    if (c.peek() === '"') key = quoted(c)
    else {
      key = ''
      while (!c.done && !'(-:.,>)'.includes(c.peek())) key += c.text[c.pos++]
      const negative = /^\d+$/.test(key) === false && key === '' && c.peek() === '-'
      if (negative) {
        c.pos++
        while (/\d/.test(c.peek())) key += c.text[c.pos++]
        key = `-${key}`
      }
      key = key.trim()
    }
    if (key === '') c.fail('expecting json key')
    steps.push({ arrow, key, index: /^-?\d+$/.test(key) })
  }
}

function field(c: Cursor): Field {
  const name = fieldName(c)
  return { name, json: jsonPath(c) }
}

function castType(c: Cursor): string | undefined {
  if (!c.eat('::')) return undefined
  let out = ''
  while (!c.done && /[A-Za-z0-9_ [\]"]/.test(c.peek())) out += c.text[c.pos++]
  out = out.trim()
  if (!out) c.fail('expecting cast type')
  return out
}

function selectItem(c: Cursor, nested: boolean): SelectItem {
  c.skipSpaces()
  if (c.eat('*')) return { kind: 'star' }
  const spread = c.eat('...')
  const start = c.pos
  let alias: string | undefined
  let name = fieldName(c)
  if (c.peek() === ':' && c.peek(2) !== '::') {
    c.pos++
    alias = name
    name = fieldName(c)
  }
  // count() on its own
  if (name === 'count' && c.peek(2) === '()') {
    c.pos += 2
    return { kind: 'count', alias, cast: castType(c) }
  }
  // An embed: name, optional !hint / !inner / !left, then a parenthesised select.
  if (c.peek() === '!' || c.peek() === '(') {
    let hint: string | undefined
    let joinType: 'inner' | 'left' | undefined
    while (c.eat('!')) {
      const word = fieldName(c)
      if (word === 'inner' || word === 'left') joinType = word
      else hint = word
    }
    c.expect('(')
    const children = c.peek() === ')' ? [] : selectList(c, true)
    c.expect(')')
    return { kind: 'embed', name, alias, hint, joinType, spread, select: children }
  }
  if (spread) {
    c.pos = start
    c.fail('expecting embedded resource after "..."')
  }
  const json = jsonPath(c)
  const cast = castType(c)
  let aggregate: Aggregate | undefined
  let aggregateCast: string | undefined
  if (c.peek() === '.') {
    const save = c.pos
    c.pos++
    const fn = fieldName(c) as Aggregate
    if (AGGREGATES.has(fn) && c.eat('()')) {
      aggregate = fn
      aggregateCast = castType(c)
    } else {
      c.pos = save
      c.fail('expecting aggregate function')
    }
  }
  // `embed(count)`: the legacy count of an embedded resource.
  if (nested && name === 'count' && !json.length && !cast && !aggregate) {
    return { kind: 'count', alias }
  }
  return { kind: 'field', field: { name, json }, alias, cast, aggregate, aggregateCast }
}

function selectList(c: Cursor, nested: boolean): SelectItem[] {
  const items: SelectItem[] = [selectItem(c, nested)]
  c.skipSpaces()
  while (c.eat(',')) {
    items.push(selectItem(c, nested))
    c.skipSpaces()
  }
  return items
}

function wrap<T>(what: string, text: string, fn: (c: Cursor) => T): T {
  const c = new Cursor(text)
  try {
    const result = fn(c)
    c.skipSpaces()
    if (!c.done) c.fail('expecting end of input')
    return result
  } catch (error) {
    if (error instanceof ParseError) {
      throw new RestError(
        400,
        'PGRST100',
        `"failed to parse ${what} (${text})" (line 1, column ${c.pos + 1})`,
        error.message,
      )
    }
    throw error
  }
}

export function parseSelect(text: string): SelectItem[] {
  if (text.trim() === '') return [{ kind: 'star' }]
  return wrap('select parameter', text, (c) => selectList(c, false))
}

function listValues(c: Cursor): string[] {
  c.skipSpaces()
  c.expect('(')
  const values: string[] = []
  for (;;) {
    let value = ''
    if (c.peek() === '"') {
      value = quoted(c)
    } else {
      while (!c.done && c.peek() !== ',' && c.peek() !== ')') value += c.text[c.pos++]
    }
    values.push(value)
    if (c.eat(',')) continue
    c.expect(')')
    return values
  }
}

/** `op.value`, `not.op.value`, `op(any).{..}`, `fts(config).value`, `in.(..)`, `is.null`. */
function operation(c: Cursor, singleValue: (c: Cursor) => string): Filter['operation'] {
  const word = /^[a-z]+/.exec(c.text.slice(c.pos))?.[0] ?? ''
  if (word === 'in') {
    c.pos += 2
    c.expect('.')
    return { kind: 'in', values: listValues(c) }
  }
  if (word === 'is') {
    c.pos += 2
    c.expect('.')
    const raw = singleValue(c).toLowerCase()
    if (!['null', 'not_null', 'true', 'false', 'unknown'].includes(raw)) {
      throw new ParseError(
        `unexpected "${raw}" expecting isVal: (null, not_null, true, false, unknown)`,
      )
    }
    return { kind: 'is', value: raw as 'null' }
  }
  if (word === 'isdistinct') {
    c.pos += word.length
    c.expect('.')
    return { kind: 'isdistinct', value: singleValue(c) }
  }
  if (FTS_OPS.includes(word)) {
    c.pos += word.length
    let config: string | undefined
    if (c.eat('(')) {
      config = ''
      while (!c.done && c.peek() !== ')') config += c.text[c.pos++]
      c.expect(')')
    }
    c.expect('.')
    return { kind: 'fts', op: word, config, value: singleValue(c) }
  }
  if (SIMPLE_OPS.includes(word)) {
    c.pos += word.length
    c.expect('.')
    return { kind: 'simple', op: word, value: singleValue(c) }
  }
  if (QUANT_OPS.includes(word)) {
    c.pos += word.length
    let quantifier: 'any' | 'all' | undefined
    if (c.eat('(any)')) quantifier = 'any'
    else if (c.eat('(all)')) quantifier = 'all'
    c.expect('.')
    return { kind: 'quant', op: word, quantifier, value: singleValue(c) }
  }
  c.fail('expecting "not" or operator (eq, gt, ...)')
}

const restOfInput = (c: Cursor) => {
  const value = c.text.slice(c.pos)
  c.pos = c.text.length
  return value
}

/** A filter value as given in the query string (`?col=op.value`). */
export function parseFilterValue(_key: string, text: string): Omit<Filter, 'field'> {
  return wrap('filter', text, (c) => {
    const negate = c.eat('not.')
    return { negate, operation: operation(c, restOfInput) }
  }) as Omit<Filter, 'field'>
}

/** A filter key without its embed path: `col`, `col->a->>b`, `"quoted col"`. */
export function parseFieldKey(text: string): Field {
  return wrap('filter', text, (c) => field(c))
}

/** Values inside logic trees end at `,` or `)` unless quoted or inside parens/braces. */
function logicValue(c: Cursor): string {
  if (c.peek() === '"') return quoted(c)
  let out = ''
  let depth = 0
  while (!c.done) {
    const ch = c.peek()
    if (depth === 0 && (ch === ',' || ch === ')')) break
    if (ch === '(' || ch === '{' || ch === '[') depth++
    if (ch === ')' || ch === '}' || ch === ']') depth--
    out += ch
    c.pos++
  }
  return out
}

function logicTree(c: Cursor): LogicTree {
  c.skipSpaces()
  const save = c.pos
  const negate = c.eat('not.')
  for (const op of ['and', 'or'] as const) {
    if (c.text.startsWith(`${op}(`, c.pos)) {
      c.pos += op.length + 1
      const children: LogicTree[] = [logicTree(c)]
      c.skipSpaces()
      while (c.eat(',')) children.push(logicTree(c))
      c.skipSpaces()
      c.expect(')')
      return { kind: 'expr', negate, op, children }
    }
  }
  c.pos = save
  const f = field(c)
  c.expect('.')
  const fNegate = c.eat('not.')
  return {
    kind: 'filter',
    filter: { field: f, negate: fNegate, operation: operation(c, logicValue) },
  }
}

/** `or=(a.eq.1,and(b.gt.2,c.is.null))` given its key (`or`, `not.and`, ...). */
export function parseLogic(key: 'and' | 'or', negate: boolean, text: string): LogicTree {
  return wrap('logic tree', `${negate ? 'not.' : ''}${key}${text}`, (c) => logicTree(c))
}

export function parseOrder(text: string): OrderTerm[] {
  return wrap('order', text, (c) => {
    const terms: OrderTerm[] = []
    do {
      c.skipSpaces()
      const first = field(c)
      let term: OrderTerm
      if (c.peek() === '(' && first.json.length === 0) {
        c.pos++
        const inner = field(c)
        c.expect(')')
        term = { relation: first.name, field: inner }
      } else term = { field: first }
      if (c.eat('.asc')) term.direction = 'asc'
      else if (c.eat('.desc')) term.direction = 'desc'
      if (c.eat('.nullsfirst')) term.nulls = 'first'
      else if (c.eat('.nullslast')) term.nulls = 'last'
      if (!c.done && c.peek() !== ',')
        c.fail('expecting "asc", "desc", "nullsfirst" or "nullslast"')
      terms.push(term)
    } while (c.eat(','))
    return terms
  })
}

/** `on_conflict=a,b` and `columns=a,"b c"`. */
export function parseNameList(what: string, text: string): string[] {
  return wrap(what, text, (c) => {
    const names = [fieldName(c)]
    while (c.eat(',')) names.push(fieldName(c))
    return names
  })
}
