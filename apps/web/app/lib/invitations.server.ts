import { invitationEmail } from '#app/lib/emails/invitation.server.ts'
import { env } from '#app/lib/env.server.ts'
import { sendEmail } from '#app/lib/mail.server.ts'

/** The page an invitation email links to. */
export function invitationLink(token: string): string {
  return `${env().APP_URL}/invite/${encodeURIComponent(token)}`
}

/** Emails a freshly issued invitation token (create_invitation, resend_invitation, provisioning). */
export async function sendInvitationEmail(input: {
  to: string
  token: string
  expiresAt: string | Date
  organizationName: string
  inviterName: string | null
  roleLabel: string
}): Promise<{ link: string }> {
  const link = invitationLink(input.token)
  await sendEmail(
    invitationEmail({
      to: input.to,
      organizationName: input.organizationName,
      inviterName: input.inviterName,
      roleLabel: input.roleLabel,
      link,
      expiresAt: new Date(input.expiresAt),
    }),
  )
  return { link }
}
