/** A row of auth.users with its identities, as GoTrue serializes a User. */
export type UserRow = Record<string, unknown> & {
  id: string
  identities?: Record<string, unknown>[]
}

const iso = (value: unknown) =>
  value instanceof Date ? value.toISOString() : (value as string | null)

export function userJson(row: UserRow) {
  const optional = (key: string, value: unknown) =>
    value === null || value === undefined ? {} : { [key]: iso(value) }
  return {
    id: row.id,
    aud: row.aud,
    role: row.role,
    email: row.email ?? '',
    ...optional('email_confirmed_at', row.email_confirmed_at),
    ...optional('invited_at', row.invited_at),
    phone: row.phone ?? '',
    ...optional('phone_confirmed_at', row.phone_confirmed_at),
    ...optional('confirmation_sent_at', row.confirmation_sent_at),
    ...optional('confirmed_at', row.confirmed_at),
    ...optional('recovery_sent_at', row.recovery_sent_at),
    // Strings with omitempty in GoTrue's User: absent when empty.
    ...optional('new_email', row.email_change || null),
    ...optional('email_change_sent_at', row.email_change_sent_at),
    ...optional('new_phone', row.phone_change || null),
    ...optional('phone_change_sent_at', row.phone_change_sent_at),
    ...optional('reauthentication_sent_at', row.reauthentication_sent_at),
    ...optional('last_sign_in_at', row.last_sign_in_at),
    app_metadata: row.raw_app_meta_data ?? {},
    user_metadata: row.raw_user_meta_data ?? {},
    identities: (row.identities ?? []).map((identity) => ({
      identity_id: identity.id,
      id: identity.provider_id,
      user_id: identity.user_id,
      identity_data: identity.identity_data,
      provider: identity.provider,
      last_sign_in_at: iso(identity.last_sign_in_at),
      created_at: iso(identity.created_at),
      updated_at: iso(identity.updated_at),
      email: identity.email,
    })),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    ...optional('banned_until', row.banned_until),
    ...optional('deleted_at', row.deleted_at),
    is_anonymous: row.is_anonymous ?? false,
  }
}
