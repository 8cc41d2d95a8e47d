import { decodeJwt } from 'jose'
import { expect, test } from '#src/fixtures/test.ts'
import { unique } from '#src/fixtures/unique.ts'
import { client, stackStatus } from './stack-status.ts'

test('an invited admin follows the email link and lands signed in to their organization', async ({
  page,
  tenants,
  failures,
}) => {
  const status = stackStatus()
  // The mail catcher's own pages have no favicon.
  failures.allow(404, new RegExp(`^${status.mail_url}/favicon`))
  const id = unique()
  const email = `admin-${id}@e2e.test`
  tenants.forgetLater(email)
  const service = client(status.service_role_key)
  const provisioned = await service.rpc('provision_tenant', {
    p_name: 'E2E Corp',
    p_slug: `e2e-${id}`,
    p_admin_email: email,
  })
  expect(provisioned.error).toBeNull()
  const invite = await service.auth.admin.inviteUserByEmail(email, {
    data: { invitation_token: provisioned.data.invitation_token },
    // The Auth-only flow lands on the mail catcher's page (the app has its own invitations).
    redirectTo: `${status.mail_url}/`,
  })
  expect(invite.error).toBeNull()

  await page.goto(status.mail_url)
  await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible()
  await page
    .getByRole('row', { name: new RegExp(email) })
    .getByRole('link', { name: 'You have been invited' })
    .click()
  await expect(page.getByText(`To: ${email}`)).toBeVisible()
  await page.locator('a.mail-link').first().click()

  await page.waitForURL(/#access_token=/)
  const fragment = new URLSearchParams(new URL(page.url()).hash.slice(1))
  const accessToken = fragment.get('access_token') as string
  expect(fragment.get('type')).toBe('invite')
  expect(decodeJwt(accessToken)).toMatchObject({
    email,
    tenant_id: provisioned.data.organization_id,
  })

  const admin = client(status.anon_key, accessToken)
  const organizations = await admin.rpc('list_my_organizations')
  expect(organizations.data.map((o: { name: string; role: string }) => [o.name, o.role])).toEqual([
    ['E2E Corp', 'Owner'],
  ])
  await admin.rpc('delete_organization', { p_id: provisioned.data.organization_id })

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
    email: `stranger-${unique()}@e2e.test`,
    password: 'password123',
  })
  expect(data.session).toBeNull()
  expect(error?.status).toBe(500)
  expect(error?.message).toBe('Database error saving new user')
})
