import { emailButton, emailLayout, escapeHtml } from '#app/lib/emails/layout.server.ts'
import type { Email } from '#app/lib/mail.server.ts'

export type InvitationEmailInput = {
  to: string
  organizationName: string
  /** Who invited them; null when a platform operator provisioned the organization. */
  inviterName: string | null
  roleLabel: string
  /** The absolute link to /invite/<token>. */
  link: string
  expiresAt: Date
}

/** The invitation email: organization, inviter, role, a button to the invitation, expiry. */
export function invitationEmail(input: InvitationEmailInput): Email {
  const expires = input.expiresAt.toLocaleString('en-US', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  })
  const who = input.inviterName ? `${input.inviterName} invited you` : 'You have been invited'
  const subject = `${who} to join ${input.organizationName} on Tenantbase`
  const html = emailLayout({
    preheader: `Join ${input.organizationName} as ${input.roleLabel}.`,
    body: `<h1 style="font-size:20px;line-height:1.3;margin:0 0 12px 0;">Join ${escapeHtml(input.organizationName)}</h1>
<p style="margin:0 0 8px 0;">${escapeHtml(who)} to join <strong>${escapeHtml(input.organizationName)}</strong> as <strong>${escapeHtml(input.roleLabel)}</strong>.</p>
${emailButton(input.link, 'Accept invitation')}
<p style="margin:0 0 8px 0;font-size:13px;color:#52525b;">This invitation is for ${escapeHtml(input.to)} and expires on ${escapeHtml(expires)} UTC. It can be used once.</p>
<p style="margin:0;font-size:13px;color:#52525b;word-break:break-all;">If the button does not work, open this link: <a href="${escapeHtml(input.link)}" style="color:#4f46e5;">${escapeHtml(input.link)}</a></p>`,
  })
  const text = `${who} to join ${input.organizationName} on Tenantbase as ${input.roleLabel}.

Accept the invitation: ${input.link}

This invitation is for ${input.to} and expires on ${expires} UTC. It can be used once.
If you did not expect this email, you can ignore it.
`
  return { to: input.to, subject, html, text }
}
