import type { SupabaseClient } from '@supabase/supabase-js'
import { rpc } from '@tenantbase/schemas/rpc'
import { z } from 'zod'
import { invitationLink, sendInvitationEmail } from '#app/lib/invitations.server.ts'

const provisioned = z.object({
  organization_id: z.guid(),
  root_role_id: z.guid(),
  invitation_id: z.guid(),
  invitation_token: z.string(),
  expires_at: z.string(),
})

export type ProvisionedTenant = z.infer<typeof provisioned> & {
  link: string
  /** Set when the tenant exists but its invitation email could not be sent: pass the link on. */
  emailError?: string
}

/**
 * Creates an organization with its owner role and invites its first admin (provision_tenant),
 * then emails the invitation. `client` is the service client (`pnpm provision`) or a platform
 * admin's own session; the database accepts only those two.
 */
export async function provisionTenant(
  client: SupabaseClient,
  input: { name: string; slug: string; adminEmail: string; roleName?: string },
): Promise<ProvisionedTenant> {
  const result = provisioned.parse(
    await rpc(client, 'provision_tenant', {
      p_name: input.name,
      p_slug: input.slug,
      p_admin_email: input.adminEmail,
      p_role_name: input.roleName,
    }),
  )
  const link = invitationLink(result.invitation_token)
  try {
    await sendInvitationEmail({
      to: input.adminEmail.trim().toLowerCase(),
      token: result.invitation_token,
      expiresAt: result.expires_at,
      organizationName: input.name.trim(),
      inviterName: null,
      roleLabel: input.roleName ?? 'Owner',
    })
  } catch (error) {
    // The tenant exists now and the token is shown only once: keep the link for the caller.
    return { ...result, link, emailError: (error as Error).message }
  }
  return { ...result, link }
}
