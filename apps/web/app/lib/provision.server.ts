import type { SupabaseClient } from '@supabase/supabase-js'
import { rpc } from '@tenantbase/schemas/rpc'
import { z } from 'zod'
import { invitationLink, sendInvitationEmail } from '#app/lib/invitations.server.ts'

/** What provision_tenant answers (its jsonb), as the app uses it. */
const provisionedSchema = z.object({
  organization_id: z.guid(),
  root_role_id: z.guid(),
  invitation_id: z.guid(),
  invitation_token: z.string().min(1),
  expires_at: z.string(),
})

export type ProvisionInput = {
  name: string
  slug: string
  adminEmail: string
  /** The owner role's name (default Owner). */
  roleName?: string
}

export type Provisioned = {
  organizationId: string
  /** The link the invitation email carries (to /invite/<token>). */
  link: string
  /** False when the organization exists but the email could not be sent (resend it). */
  emailed: boolean
  emailError?: string
}

/**
 * Provisions a tenant and emails its admin the invitation: the one path behind `pnpm provision`
 * (service key) and the platform admin screen (the admin's own session, so the action log
 * names them). Database refusals (duplicate slug, invalid email) are thrown as RpcError.
 */
export async function provisionTenant(
  client: SupabaseClient,
  input: ProvisionInput,
): Promise<Provisioned> {
  const roleName = input.roleName?.trim() || 'Owner'
  const raw = await rpc(client, 'provision_tenant', {
    p_name: input.name,
    p_slug: input.slug,
    p_admin_email: input.adminEmail,
    p_role_name: roleName,
  })
  const provisioned = provisionedSchema.parse(raw)
  try {
    const { link } = await sendInvitationEmail({
      to: input.adminEmail.trim().toLowerCase(),
      token: provisioned.invitation_token,
      expiresAt: provisioned.expires_at,
      organizationName: input.name.trim(),
      inviterName: null,
      roleLabel: roleName,
    })
    return { organizationId: provisioned.organization_id, link, emailed: true }
  } catch (error) {
    return {
      organizationId: provisioned.organization_id,
      link: invitationLink(provisioned.invitation_token),
      emailed: false,
      emailError: (error as Error).message,
    }
  }
}
