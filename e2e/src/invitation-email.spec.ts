import { expect, test } from '@playwright/test'
import { decodeJwt } from 'jose'
import { client, stackStatus } from './stack-status.ts'

test('an invited admin follows the email link and lands signed in to their organization', async ({
  page,
}) => {
  const status = stackStatus()
  const service = client(status.service_role_key)
  const provisioned = await service.rpc('provision_tenant', {
    p_name: 'E2E Corp',
    p_slug: `e2e-${Date.now()}`,
    p_admin_email: 'admin@e2e.test',
  })
  expect(provisioned.error).toBeNull()
  const invite = await service.auth.admin.inviteUserByEmail('admin@e2e.test', {
    data: { invitation_token: provisioned.data.invitation_token },
    // The Auth-only flow lands on the mail catcher's page (the app has its own invitations).
    redirectTo: `${status.mail_url}/`,
  })
  expect(invite.error).toBeNull()

  await page.goto(status.mail_url)
  await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible()
  await page.getByRole('link', { name: 'You have been invited' }).first().click()
  await expect(page.getByText('To: admin@e2e.test')).toBeVisible()
  await page.locator('a.mail-link').first().click()

  await page.waitForURL(/#access_token=/)
  const fragment = new URLSearchParams(new URL(page.url()).hash.slice(1))
  const accessToken = fragment.get('access_token') as string
  expect(fragment.get('type')).toBe('invite')
  expect(decodeJwt(accessToken)).toMatchObject({
    email: 'admin@e2e.test',
    tenant_id: provisioned.data.organization_id,
  })

  const admin = client(status.anon_key, accessToken)
  const organizations = await admin.rpc('list_my_organizations')
  expect(organizations.data.map((o: { name: string; role: string }) => [o.name, o.role])).toEqual([
    ['E2E Corp', 'Owner'],
  ])

  // The link is single use: a second click lands on the error the app must show.
  await page.goBack()
  await page.locator('a.mail-link').first().click()
  await page.waitForURL(/#error=/)
  expect(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('error_code')).toBe(
    'otp_expired',
  )
})

test('a stranger cannot sign up without an invitation', async () => {
  const status = stackStatus()
  const { data, error } = await client(status.anon_key).auth.signUp({
    email: 'stranger@e2e.test',
    password: 'password123',
  })
  expect(data.session).toBeNull()
  expect(error?.status).toBe(500)
  expect(error?.message).toBe('Database error saving new user')
})
