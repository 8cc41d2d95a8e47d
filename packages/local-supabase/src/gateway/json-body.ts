/**
 * JSON request bodies with a nesting bound. Deeply nested JSON is no payload any API here
 * takes, and past a few thousand levels it exhausts a parser's stack (V8's or PostgreSQL's,
 * "stack depth limit exceeded"), which would surface as a 500.
 */
export const MAX_JSON_DEPTH = 256

export class JsonBodyError extends Error {}

/** The deepest nesting of arrays/objects in a JSON text (strings skipped). */
export function jsonDepth(text: string): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (inString) {
      if (ch === 92)
        i++ // backslash escapes the next character
      else if (ch === 34) inString = false
    } else if (ch === 34) inString = true
    else if (ch === 123 || ch === 91) {
      depth++
      if (depth > max) max = depth
    } else if (ch === 125 || ch === 93) depth--
  }
  return max
}

/** JSON.parse, refusing bodies nested deeper than MAX_JSON_DEPTH. */
export function parseJsonBody(text: string): unknown {
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    throw new JsonBodyError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`)
  }
  return JSON.parse(text)
}
