/** One top-level SQL statement of a file, without its trailing semicolon and leading comments. */
export type SqlStatement = { file: string; text: string }

/**
 * Splits SQL into top-level statements: semicolons inside quotes, dollar-quoted bodies,
 * identifiers and comments do not end a statement. Leading comments are dropped.
 */
export function splitStatements(sql: string, file = ''): SqlStatement[] {
  const statements: SqlStatement[] = []
  let start = 0
  let i = 0
  const push = (end: number) => {
    const text = stripLeadingComments(sql.slice(start, end)).trim()
    if (text) statements.push({ file, text })
  }
  while (i < sql.length) {
    const ch = sql[i]
    const next = sql[i + 1]
    if (ch === '-' && next === '-') {
      const eol = sql.indexOf('\n', i)
      i = eol === -1 ? sql.length : eol + 1
    } else if (ch === '/' && next === '*') {
      let depth = 1
      i += 2
      while (i < sql.length && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth += 1
          i += 2
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth -= 1
          i += 2
        } else i += 1
      }
    } else if (ch === "'" || ch === '"') {
      // E'...' strings allow backslash escapes; doubled quotes escape in every kind.
      const escapes = ch === "'" && /[eE]/.test(sql[i - 1] ?? '') && !/\w/.test(sql[i - 2] ?? '')
      i += 1
      while (i < sql.length) {
        if (escapes && sql[i] === '\\') i += 2
        else if (sql[i] === ch && sql[i + 1] === ch) i += 2
        else if (sql[i] === ch) {
          i += 1
          break
        } else i += 1
      }
    } else if (ch === '$' && !/\w/.test(sql[i - 1] ?? '')) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i))
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length)
        i = close === -1 ? sql.length : close + tag[0].length
      } else i += 1
    } else if (ch === ';') {
      push(i)
      i += 1
      start = i
    } else i += 1
  }
  push(sql.length)
  return statements
}

function stripLeadingComments(text: string): string {
  let rest = text
  for (;;) {
    const trimmed = rest.trimStart()
    if (trimmed.startsWith('--')) {
      const eol = trimmed.indexOf('\n')
      rest = eol === -1 ? '' : trimmed.slice(eol + 1)
    } else if (trimmed.startsWith('/*')) {
      const end = trimmed.indexOf('*/')
      rest = end === -1 ? '' : trimmed.slice(end + 2)
    } else return trimmed
  }
}

const NAME = String.raw`((?:"[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)(?:\.(?:"[^"]+"|[A-Za-z_][A-Za-z0-9_$]*))?)`

/** Normalizes an identifier as written (`Core."Deals"`) to the catalog's spelling (`core.Deals`). */
export function normalizeName(name: string): string {
  return name
    .split('.')
    .map((part) => (part.startsWith('"') ? part.slice(1, -1) : part.toLowerCase()))
    .join('.')
}

export type StatefulKind = 'schema' | 'extension' | 'type' | 'table' | 'sequence'

const creators: { kind: StatefulKind; pattern: RegExp }[] = [
  {
    kind: 'schema',
    pattern: new RegExp(String.raw`^create\s+schema\s+(?:if\s+not\s+exists\s+)?${NAME}`, 'i'),
  },
  {
    kind: 'extension',
    pattern: new RegExp(String.raw`^create\s+extension\s+(?:if\s+not\s+exists\s+)?${NAME}`, 'i'),
  },
  { kind: 'type', pattern: new RegExp(String.raw`^create\s+(?:type|domain)\s+${NAME}`, 'i') },
  {
    kind: 'table',
    pattern: new RegExp(
      String.raw`^create\s+(?:(?:global\s+|local\s+)?(?:temporary|temp|unlogged)\s+)?table\s+(?:if\s+not\s+exists\s+)?${NAME}`,
      'i',
    ),
  },
  {
    kind: 'sequence',
    pattern: new RegExp(String.raw`^create\s+sequence\s+(?:if\s+not\s+exists\s+)?${NAME}`, 'i'),
  },
]
const alterTable = new RegExp(
  String.raw`^alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${NAME}`,
  'i',
)

/** What a source statement creates (a stateful object), if anything. */
export function createdObject(
  statement: SqlStatement,
): { kind: StatefulKind; name: string } | undefined {
  for (const { kind, pattern } of creators) {
    const match = pattern.exec(statement.text)
    if (match?.[1]) return { kind, name: normalizeName(match[1]) }
  }
  return undefined
}

/** The table an `alter table` statement changes, if it is one. */
export function alteredTable(statement: SqlStatement): string | undefined {
  const match = alterTable.exec(statement.text)
  return match?.[1] ? normalizeName(match[1]) : undefined
}
