/**
 * A URL allow-list pattern as GoTrue compiles `additional_redirect_urls`
 * (github.com/gobwas/glob with '.' and '/' as separators): `*` any run of characters without a
 * separator, `**` any run at all, `?` one non-separator character, `[abc]` `[a-z]` `[!abc]` one
 * character of (or not of) a class, `{a,b}` alternatives, `\` escapes. Anchored at both ends.
 */
export function compileUrlGlob(pattern: string): RegExp {
  let i = 0
  const parse = (inAlternative: boolean): string => {
    let out = ''
    while (i < pattern.length) {
      const ch = pattern[i] as string
      if (inAlternative && (ch === ',' || ch === '}')) return out
      i++
      if (ch === '\\' && i < pattern.length) {
        out += escapeChar(pattern[i++] as string)
      } else if (ch === '*') {
        if (pattern[i] === '*') {
          i++
          out += '[\\s\\S]*'
        } else out += '[^./]*'
      } else if (ch === '?') {
        out += '[^./]'
      } else if (ch === '[') {
        const end = pattern.indexOf(']', i)
        if (end === -1) {
          out += '\\['
          continue
        }
        let body = pattern.slice(i, end)
        i = end + 1
        const negate = body.startsWith('!')
        if (negate) body = body.slice(1)
        const members = body.replace(/[\\\]^]/g, (c) => `\\${c}`)
        out += negate ? `[^${members}]` : `[${members}]`
      } else if (ch === '{') {
        const options: string[] = []
        for (;;) {
          options.push(parse(true))
          if (pattern[i] === ',') {
            i++
            continue
          }
          if (pattern[i] === '}') i++
          break
        }
        out += `(?:${options.join('|')})`
      } else {
        out += escapeChar(ch)
      }
    }
    return out
  }
  return new RegExp(`^${parse(false)}$`)
}

const escapeChar = (ch: string) => ch.replace(/[.*+?^${}()|[\]\\/-]/g, (c) => `\\${c}`)
