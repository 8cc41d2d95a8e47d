import type { SupabaseClient } from '@supabase/supabase-js'
import { rpc } from '@tenantbase/schemas/rpc'
import { describeError } from '#app/lib/errors.server.ts'

export type InvitationDetails = {
  email: string
  organizationName: string
  unitName: string | null
  roleLabel: string
  inviterName: string | null
  expiresAt: string | null
  status: 'pending' | 'accepted' | 'revoked' | 'expired'
}

/**
 * What get_invitation_details says about a token, or null when the token is malformed or
 * unknown (a tampered or mistyped link): the page then says the link is not valid, without
 * telling whether anything exists.
 */
export async function readInvitation(
  supabase: SupabaseClient,
  token: string,
): Promise<InvitationDetails | null> {
  try {
    const [row] = await rpc(supabase, 'get_invitation_details', { p_token: token })
    if (!row?.email) return null
    return {
      email: row.email,
      organizationName: row.organization_name ?? '',
      unitName: row.unit_name,
      roleLabel: row.role_label ?? row.role_name ?? '',
      inviterName: row.invited_by_name,
      expiresAt: row.expires_at,
      status: (row.status ?? 'pending') as InvitationDetails['status'],
    }
  } catch (error) {
    const refusal = describeError(error)
    if (refusal.status === 400 || refusal.status === 404) return null
    throw error
  }
}
