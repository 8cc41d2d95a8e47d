import type { JWTPayload } from 'jose'

/**
 * Tokens whose signature this process has already verified, by their exact text. Checking a
 * signature (an HMAC or ECDSA operation through WebCrypto) was the largest CPU cost of a REST
 * request, and a client sends the same token on every request for its lifetime. The time claims
 * are checked again on every use: a token past its `exp` (or before its `nbf`) is forgotten and
 * verified in full, so it is refused with the same error as one never seen.
 */
export type VerifiedTokens = {
  /** The payload of a token verified before and still within its time claims. */
  get(token: string): JWTPayload | undefined
  remember(token: string, payload: JWTPayload): void
}

export function createVerifiedTokens(max = 1024): VerifiedTokens {
  const known = new Map<string, JWTPayload>()
  return {
    get(token) {
      const payload = known.get(token)
      if (!payload) return undefined
      // The same instants jose's jwtVerify checks (whole seconds, no clock tolerance).
      const now = Math.floor(Date.now() / 1000)
      const expired = typeof payload.exp === 'number' && payload.exp <= now
      const early = typeof payload.nbf === 'number' && payload.nbf > now
      if (expired || early) {
        known.delete(token)
        return undefined
      }
      return payload
    },
    remember(token, payload) {
      // Bounded: the oldest entry goes first (a Map iterates in insertion order).
      if (known.size >= max) known.delete(known.keys().next().value as string)
      known.set(token, deepFreeze(payload))
    },
  }
}

/** The payload is shared by every request with that token; freezing keeps one from changing it for the next. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}
