import { randomUUID } from 'node:crypto'
import type { AuthContext, Json } from '#src/auth/auth-context.ts'
import { AuthError, validation } from '#src/auth/errors.ts'
import { sendConfirmation } from '#src/auth/mail.ts'
import { checkPasswordStrength } from '#src/auth/password-strength.ts'
import { createFlowState, type Flow } from '#src/auth/pkce.ts'
import { type AccessTokenResponse, issueSession } from '#src/auth/tokens.ts'
import { type UserRow, userJson } from '#src/auth/user-json.ts'
import { findUserByEmail, insertUser, savingUser } from '#src/auth/users.ts'
import { validateEmail } from '#src/auth/validate-email.ts'
import { confirmUser } from '#src/auth/verification.ts'

export type SignUpInput = {
  email: string
  password: string
  data: Json
  flow: Flow
  referrer: string
}

/**
 * GoTrue's Signup for email (auth:internal/api/signup.go). A new address gets a user (the
 * invite-only trigger on auth.users may refuse it: "Database error saving new user"); an
 * unconfirmed one is confirmed at once (autoconfirm) or gets the confirmation mail again, with a
 * PKCE flow state when the request carries a code challenge. A confirmed one is refused
 * (autoconfirm) or answered with an obfuscated user, so addresses cannot be probed.
 * Returns a session when the user ends up confirmed, else the User.
 */
export async function signUp(
  auth: AuthContext,
  input: SignUpInput,
): Promise<AccessTokenResponse | ReturnType<typeof userJson>> {
  if (!auth.config.enable_signup) {
    throw new AuthError(422, 'signup_disabled', 'Signups not allowed for this instance')
  }
  if (input.password === '') throw validation('Signup requires a valid password')
  checkPasswordStrength(auth.config, input.password)
  if (!auth.config.email.enable_signup) {
    throw new AuthError(400, 'email_provider_disabled', 'Email signups are disabled')
  }
  const email = validateEmail(input.email)
  const autoconfirm = !auth.config.email.enable_confirmations
  return auth.tx(async (db) => {
    const existing = await findUserByEmail(db, email)
    if (existing?.email_confirmed_at) {
      if (autoconfirm) throw new AuthError(422, 'user_already_exists', 'User already registered')
      return obfuscated(existing, email, input.data)
    }
    const user: UserRow =
      existing ??
      (await savingUser('Database error saving new user', () =>
        insertUser(db, {
          email,
          password: input.password,
          userMetadata: input.data,
          confirmed: false,
          signupData: input.data,
        }),
      ))
    if (autoconfirm) {
      await confirmUser(db, user.id)
      return issueSession(auth.gateway, db, user, 'password')
    }
    await createFlowState(db, {
      userId: user.id,
      providerType: 'email',
      authenticationMethod: 'email/signup',
      flow: input.flow,
    })
    await sendConfirmation(auth, db, user, input.flow, input.referrer)
    const json = userJson((await findUserByEmail(db, email)) as UserRow)
    // An invited user's details stay private until they confirm (GoTrue hides them).
    return user.invited_at ? { ...json, user_metadata: {}, identities: [] } : json
  })
}

/** GoTrue's sanitizeUser: a plausible but fake User for an address that is already taken. */
function obfuscated(existing: UserRow, email: string, data: Json) {
  const now = new Date().toISOString()
  return {
    ...userJson({
      ...existing,
      id: randomUUID(),
      email,
      role: '',
      email_change: '',
      phone: '',
      created_at: now,
      updated_at: now,
      confirmation_sent_at: now,
      last_sign_in_at: null,
      confirmed_at: null,
      email_change_sent_at: null,
      email_confirmed_at: null,
      phone_confirmed_at: null,
      raw_user_meta_data: data,
      raw_app_meta_data: { provider: 'email', providers: ['email'] },
      identities: [],
    }),
  }
}
