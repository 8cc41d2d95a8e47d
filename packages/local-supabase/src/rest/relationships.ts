import { RestError } from '#src/rest/errors.ts'
import type { Relation, RestFunction, SchemaCache } from '#src/rest/schema-cache.ts'

/**
 * Relationships between relations, derived from foreign keys as PostgREST's schema cache does
 * (src/PostgREST/SchemaCache.hs: M2O/O2O from each key, their inverses O2M/O2O, M2M through a
 * junction whose keys are part of its primary key, computed relationships from functions taking
 * a row), and the lookup of one relationship for an embed (src/PostgREST/Plan.hs findRel).
 */

export type QualifiedName = { schema: string; name: string }
export type Cardinality = 'many-to-one' | 'one-to-many' | 'one-to-one' | 'many-to-many'

export type Relationship =
  | {
      kind: 'fk'
      cardinality: 'many-to-one' | 'one-to-many' | 'one-to-one'
      constraint: string
      source: QualifiedName
      target: QualifiedName
      /** [source column, target column] */
      pairs: [string, string][]
      self: boolean
      targetIsView: boolean
    }
  | {
      kind: 'm2m'
      cardinality: 'many-to-many'
      source: QualifiedName
      target: QualifiedName
      junction: QualifiedName
      constraint1: string
      constraint2: string
      /** [junction column, source column] */
      sourcePairs: [string, string][]
      /** [junction column, target column] */
      targetPairs: [string, string][]
      self: boolean
    }
  | {
      kind: 'computed'
      cardinality: 'many-to-one' | 'one-to-many'
      source: QualifiedName
      target: QualifiedName
      fn: RestFunction
    }

export const isToOne = (rel: Relationship) =>
  rel.cardinality === 'many-to-one' || rel.cardinality === 'one-to-one'

const same = (a: QualifiedName, b: QualifiedName) => a.schema === b.schema && a.name === b.name
const sameSet = (a: string[], b: string[]) =>
  a.length === b.length && [...a].sort().join('\0') === [...b].sort().join('\0')

/** Every relationship starting at the given relation. */
export function relationshipsFrom(cache: SchemaCache, source: QualifiedName): Relationship[] {
  const relation = (q: QualifiedName) => cache.relations.find((r) => same(r, q))
  const isView = (q: QualifiedName) => {
    const kind = relation(q)?.kind
    return kind === 'v' || kind === 'm'
  }
  const unique = (rel: Relation | undefined, cols: string[]) =>
    !!rel?.uniques.some((u) => sameSet(u, cols))
  const out: Relationship[] = []
  for (const fk of cache.foreignKeys) {
    const from = { schema: fk.schema, name: fk.table }
    const to = { schema: fk.refSchema, name: fk.refTable }
    const pairs = fk.columns.map((c, i) => [c, fk.refColumns[i]] as [string, string])
    const oneToOne = unique(relation(from), fk.columns)
    const self = same(from, to)
    if (same(from, source)) {
      out.push({
        kind: 'fk',
        cardinality: oneToOne ? 'one-to-one' : 'many-to-one',
        constraint: fk.name,
        source: from,
        target: to,
        pairs,
        self,
        targetIsView: isView(to),
      })
    }
    if (same(to, source)) {
      out.push({
        kind: 'fk',
        cardinality: oneToOne ? 'one-to-one' : 'one-to-many',
        constraint: fk.name,
        source: to,
        target: from,
        pairs: pairs.map(([a, b]) => [b, a]),
        self,
        targetIsView: isView(from),
      })
    }
  }
  // Many-to-many: a junction with keys to the source and to the target, all in its primary key.
  for (const fk1 of cache.foreignKeys) {
    if (!(fk1.refSchema === source.schema && fk1.refTable === source.name)) continue
    const junction = { schema: fk1.schema, name: fk1.table }
    const pk = relation(junction)?.primaryKey ?? []
    for (const fk2 of cache.foreignKeys) {
      if (fk2 === fk1 || fk2.name === fk1.name) continue
      if (!(fk2.schema === junction.schema && fk2.table === junction.name)) continue
      if (![...fk1.columns, ...fk2.columns].every((c) => pk.includes(c))) continue
      const target = { schema: fk2.refSchema, name: fk2.refTable }
      out.push({
        kind: 'm2m',
        cardinality: 'many-to-many',
        source,
        target,
        junction,
        constraint1: fk1.name,
        constraint2: fk2.name,
        sourcePairs: fk1.columns.map((c, i) => [c, fk1.refColumns[i]] as [string, string]),
        targetPairs: fk2.columns.map((c, i) => [c, fk2.refColumns[i]] as [string, string]),
        self: same(source, target),
      })
    }
  }
  // Computed relationships: f(source_row) returning rows of a relation.
  const sourceRel = relation(source)
  for (const fn of cache.rowFunctions) {
    if (!sourceRel || fn.args.length !== 1 || !fn.returnRelation) continue
    if (fn.args[0]?.typeOid !== sourceRel.typeOid) continue
    if (!relation(fn.returnRelation)) continue
    out.push({
      kind: 'computed',
      cardinality: fn.returnsOneRow ? 'many-to-one' : 'one-to-many',
      source,
      target: fn.returnRelation,
      fn,
    })
  }
  return out
}

/** The one relationship an embed `target!hint` names from `source`, or PGRST200/PGRST201. */
export function findRelationship(
  cache: SchemaCache,
  source: QualifiedName,
  target: string,
  hint: string | undefined,
): Relationship {
  const all = relationshipsFrom(cache, source)
  const singleSource = (r: Relationship) =>
    r.kind === 'fk' && r.pairs.length === 1 ? r.pairs[0]?.[0] : undefined
  const singleTarget = (r: Relationship) =>
    r.kind === 'fk' && r.pairs.length === 1 ? r.pairs[0]?.[1] : undefined
  const constraintIs = (r: Relationship, name: string) => r.kind === 'fk' && r.constraint === name
  const matches = all.filter((r) => {
    if (r.kind === 'computed') return r.fn.name === target
    if (r.self) {
      if (r.kind === 'm2m') return false
      if (!hint)
        return (
          (r.target.name === target && r.cardinality === 'one-to-many') ||
          (singleSource(r) === target && r.cardinality === 'many-to-one')
        )
      return r.target.name === target && r.cardinality === 'one-to-many' && singleTarget(r) === hint
    }
    if (!hint) {
      return (
        r.target.name === target ||
        (r.kind === 'fk' &&
          !r.targetIsView &&
          (constraintIs(r, target) || singleSource(r) === target))
      )
    }
    return (
      r.target.name === target &&
      (constraintIs(r, hint) ||
        singleSource(r) === hint ||
        singleTarget(r) === hint ||
        (r.kind === 'm2m' && r.junction.name === hint))
    )
  })
  if (matches.length === 1) return matches[0] as Relationship
  if (matches.length === 0) {
    throw new RestError(
      400,
      'PGRST200',
      `Could not find a relationship between '${source.name}' and '${target}' in the schema cache`,
      `Searched for a foreign key relationship between '${source.name}' and '${target}'${hint ? ` using the hint '${hint}'` : ''} in the schema '${source.schema}', but no matches were found.`,
      noRelationshipHint(cache, source, target),
    )
  }
  const key = (r: Relationship) =>
    r.kind === 'fk' ? r.constraint : r.kind === 'm2m' ? `${r.constraint1}${r.constraint2}` : ''
  matches.sort((a, b) => key(a).localeCompare(key(b)))
  throw new RestError(
    300,
    'PGRST201',
    `Could not embed because more than one relationship was found for '${source.name}' and '${target}'`,
    matches.map(describe) as never,
    `Try changing '${target}' to one of the following: ${matches.map((r) => `'${r.target.name}!${r.kind === 'm2m' ? r.junction.name : r.kind === 'fk' ? r.constraint : ''}'`).join(', ')}. Find the desired relationship in the 'details' key.`,
  )
}

function describe(r: Relationship) {
  const cols = (list: string[]) => `(${list.join(', ')})`
  if (r.kind === 'm2m') {
    return {
      cardinality: 'many-to-many',
      embedding: `${r.source.name} with ${r.target.name}`,
      relationship: `${r.junction.name} using ${r.constraint1}${cols(r.sourcePairs.map((p) => p[0]))} and ${r.constraint2}${cols(r.targetPairs.map((p) => p[0]))}`,
    }
  }
  if (r.kind === 'computed') return {}
  return {
    cardinality: r.cardinality,
    embedding: `${r.source.name} with ${r.target.name}`,
    relationship: `${r.constraint} using ${r.source.name}${cols(r.pairs.map((p) => p[0]))} and ${r.target.name}${cols(r.pairs.map((p) => p[1]))}`,
  }
}

/** "Perhaps you meant ..." for a missing relationship, as PostgREST's fuzzy hint does. */
function noRelationshipHint(
  cache: SchemaCache,
  source: QualifiedName,
  target: string,
): string | null {
  const known = cache.relations.some((r) => same(r, source))
  if (!known) return null
  const names = [...new Set(relationshipsFrom(cache, source).map((r) => r.target.name))]
  if (names.includes(target)) return null
  const best = closest(target, names)
  return best ? `Perhaps you meant '${best}' instead of '${target}'.` : null
}

/**
 * The closest name whose similarity (1 - Levenshtein distance / longer length) reaches
 * minScore, a stand-in for the fuzzy set PostgREST's hints come from.
 */
export function closest(word: string, candidates: string[], minScore = 0.33): string | undefined {
  let best: string | undefined
  let bestScore = minScore
  for (const candidate of candidates) {
    const longer = Math.max(word.length, candidate.length) || 1
    const score = 1 - levenshtein(word.toLowerCase(), candidate.toLowerCase()) / longer
    if (score >= bestScore && candidate !== word) {
      best = candidate
      bestScore = score
    }
  }
  return best
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    }
    previous = current
  }
  return previous[b.length] ?? 0
}
