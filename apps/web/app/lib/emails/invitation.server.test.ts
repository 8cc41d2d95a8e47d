import { describe, expect, it } from 'vitest'
import { invitationEmail } from '#app/lib/emails/invitation.server.ts'

const input = {
  to: 'new@acme.test',
  organizationName: 'Acme <Labs> & Co',
  inviterName: 'Olivia',
  roleLabel: 'Sales',
  link: 'https://app.example/invite/abc_DEF-123',
  expiresAt: new Date('2026-12-09T10:30:00Z'),
}

describe('invitationEmail', () => {
  it('says who invited whom to what, until when, with a button to the invitation', () => {
    const email = invitationEmail(input)
    expect(email.to).toBe('new@acme.test')
    expect(email.subject).toBe('Olivia invited you to join Acme <Labs> & Co on Tenantbase')
    expect(email.text).toContain(
      'Olivia invited you to join Acme <Labs> & Co on Tenantbase as Sales.',
    )
    expect(email.text).toContain('Accept the invitation: https://app.example/invite/abc_DEF-123')
    expect(email.text).toContain('expires on December 9, 2026 at 10:30 AM UTC')
    expect(email.html).toContain('href="https://app.example/invite/abc_DEF-123"')
    expect(email.html).toContain('Accept invitation')
  })

  it('escapes names in the HTML body', () => {
    const { html } = invitationEmail(input)
    expect(html).toContain('Acme &lt;Labs&gt; &amp; Co')
    expect(html).not.toContain('<Labs>')
  })

  it('reads well without an inviter (provisioned by the operator)', () => {
    expect(invitationEmail({ ...input, inviterName: null }).subject).toBe(
      'You have been invited to join Acme <Labs> & Co on Tenantbase',
    )
  })
})
