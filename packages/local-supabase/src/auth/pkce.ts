import { createHash, randomUUID, timingSafeEqual } from 'node:crypto'
import { type Json, text } from '#src/auth/auth-context.ts'
import { AuthError, validation } from '#src/auth/errors.ts'
import type { Db } from '#src/auth/users.ts'

// GoTrue's PKCE for emailed links (auth:internal/api/pkce.go, internal/models/flow_state.go):
// a request carrying code_challenge stores a flow state; its mailed token gets the `pkce_`
// prefix; the link then redirects with ?code=<auth_code>, exchanged at /token?grant_type=pkce.

export const PKCE_PREFIX = 'pkce_'
/** GoTrue's default GOTRUE_EXTERNAL_FLOW_STATE_EXPIRY_DURATION (and its minimum). */
const FLOW_STATE_EXPIRY_MS = 300_000
const CHALLENGE = /^[a-zA-Z._~0-9-]+$/

/** Implicit (session in the URL fragment) or PKCE (a code to exchange with the verifier). */
export type Flow = { pkce: false } | { pkce: true; challenge: string; method: 's256' | 'plain' }

/** GoTrue's validatePKCEParams + getFlowFromChallenge on a request body. */
export function flowOf(input: Json): Flow {
  const challenge = text(input, 'code_challenge')
  const method = text(input, 'code_challenge_method')
  if ((challenge === '') !== (method === '')) {
    throw validation('PKCE flow requires code_challenge_method and code_challenge')
  }
  if (challenge === '') return { pkce: false }
  if (challenge.length < 43 || challenge.length > 128) {
    throw validation('code challenge has to be between 43 and 128 characters')
  }
  if (!CHALLENGE.test(challenge)) {
    throw validation(
      'code challenge can only contain alphanumeric characters, hyphens, periods, underscores and tildes',
    )
  }
  const lower = method.toLowerCase()
  // GoTrue fails here with a bare error (HTTP 500); a client mistake is a 400 here.
  if (lower !== 's256' && lower !== 'plain') {
    throw validation(`unsupported code_challenge method "${method}"`)
  }
  return { pkce: true, challenge, method: lower }
}

/** The token stored and mailed: `pkce_<hash>` for PKCE requests (GoTrue's addFlowPrefixToToken). */
export const withFlowPrefix = (hash: string, flow: Flow) =>
  flow.pkce ? `${PKCE_PREFIX}${hash}` : hash

/**
 * The authentication method a flow state records, from a verification type
 * (GoTrue's ParseAuthenticationMethod: every `*signup` is `email/signup`).
 */
export function authenticationMethodOf(type: string): string {
  if (type.endsWith('signup')) return 'email/signup'
  if (['recovery', 'invite', 'magiclink', 'email_change', 'otp'].includes(type)) return type
  throw validation(`unsupported authentication method: ${type}`)
}

/** Stores a PKCE flow state for a user about to receive a link (GoTrue's generateFlowState). */
export async function createFlowState(
  db: Db,
  input: { userId: string; providerType: string; authenticationMethod: string; flow: Flow },
): Promise<void> {
  if (!input.flow.pkce) return
  await db.query(
    `insert into auth.flow_state (id, user_id, auth_code, code_challenge_method, code_challenge, provider_type,
       created_at, updated_at, authentication_method)
     values ($1, $2, $3, $4, $5, $6, now(), now(), $7)`,
    [
      randomUUID(),
      input.userId,
      randomUUID(),
      input.flow.method,
      input.flow.challenge,
      input.providerType,
      input.authenticationMethod,
    ],
  )
}

/**
 * The auth code of the user's latest flow state for this method, stamped as issued now
 * (GoTrue's issueAuthCode, called when the mailed link is followed).
 */
export async function issueAuthCode(
  db: Db,
  userId: string,
  authenticationMethod: string,
): Promise<string> {
  const { rows } = await db.query<{ auth_code: string | null; code_challenge: string | null }>(
    `update auth.flow_state set auth_code_issued_at = now(), updated_at = now()
     where id = (select id from auth.flow_state where user_id = $1 and authentication_method = $2
                 order by created_at desc limit 1)
     returning auth_code, code_challenge`,
    [userId, authenticationMethod],
  )
  const state = rows[0]
  const reason = !state
    ? '422: No valid flow state found for user.'
    : !state.code_challenge
      ? '422: Flow state does not have an auth code (not a PKCE flow).'
      : undefined
  if (reason || !state?.auth_code) {
    throw new AuthError(400, 'flow_state_not_found', `No associated flow state found. ${reason}`)
  }
  return state.auth_code
}

/**
 * POST /token?grant_type=pkce: checks the code and verifier and consumes the flow state, in the
 * caller's transaction (locked, so a code is exchanged once even under concurrent requests).
 * Returns the user and the authentication method the session is issued for.
 */
export async function exchangeAuthCode(
  db: Db,
  authCode: string,
  codeVerifier: string,
): Promise<{ userId: string; authenticationMethod: string }> {
  if (authCode === '' || codeVerifier === '') {
    throw validation('invalid request: both auth code and code verifier should be non-empty')
  }
  const { rows } = await db.query<{
    id: string
    user_id: string | null
    code_challenge: string | null
    code_challenge_method: string | null
    authentication_method: string
    created_at: Date
    auth_code_issued_at: Date | null
  }>('select * from auth.flow_state where auth_code = $1 for update', [authCode])
  const state = rows[0]
  if (!state?.user_id) {
    throw new AuthError(
      404,
      'flow_state_not_found',
      'invalid flow state, no valid flow state found',
    )
  }
  // Magic link codes count from when the link was followed; the rest from the request.
  const since =
    state.authentication_method === 'magiclink' && state.auth_code_issued_at
      ? state.auth_code_issued_at
      : state.created_at
  if (Date.now() > since.getTime() + FLOW_STATE_EXPIRY_MS) {
    throw new AuthError(422, 'flow_state_expired', 'invalid flow state, flow state has expired')
  }
  verifyChallenge(state.code_challenge ?? '', state.code_challenge_method ?? '', codeVerifier)
  await db.query('delete from auth.flow_state where id = $1', [state.id])
  return { userId: state.user_id, authenticationMethod: state.authentication_method }
}

/** GoTrue's VerifyPKCEChallenge (auth:internal/security/pkce.go). */
function verifyChallenge(challenge: string, method: string, verifier: string): void {
  const same = (a: string, b: string) =>
    a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))
  const expected =
    method.toLowerCase() === 's256'
      ? createHash('sha256').update(verifier).digest('base64url')
      : method.toLowerCase() === 'plain'
        ? verifier
        : undefined
  if (expected === undefined) {
    throw new AuthError(400, 'bad_code_verifier', 'code challenge method not supported')
  }
  if (!same(challenge, expected)) {
    throw new AuthError(
      400,
      'bad_code_verifier',
      'code challenge does not match previously saved code verifier',
    )
  }
}
