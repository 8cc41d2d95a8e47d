import { expectAccessible } from '#src/fixtures/axe.ts'
import { waitForEmail } from '#src/fixtures/mail.ts'
import { signIn, signOut } from '#src/fixtures/session.ts'
import { snapshot } from '#src/fixtures/snapshots.ts'
import { expect, test } from '#src/fixtures/test.ts'
import { stackStatus } from '#src/stack-status.ts'

/**
 * Password recovery through the PKCE flow: the emailed link redirects to
 * /auth/callback?code=…, which exchanges the code with the verifier cookie set when the
 * link was requested.
 */
test('a person who forgot their password sets a new one from the emailed link', async ({
  page,
  tenants,
  failures,
}) => {
  failures.allow(400, /\/sign-in|\/auth\/callback/)
  const tenant = await tenants.create({ name: 'Recovery Inc' })

  await page.goto('/sign-in')
  await page.getByRole('link', { name: 'Forgot your password?' }).click()
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible()
  await expectAccessible(page)
  await page.getByLabel('Email').fill(tenant.owner.email)
  await page.getByRole('button', { name: 'Send reset link' }).click()
  await expect(page.getByRole('status')).toContainText(
    `If an account exists for ${tenant.owner.email}, we sent it a link`,
  )
  await snapshot(page, 'forgot-password')

  const email = await waitForEmail(tenant.owner.email, /Reset your password/i)
  const link = email.links.find((l) => l.includes('/verify')) as string
  expect(new URL(link).searchParams.get('redirect_to')).toBe(
    `${stackStatus().app_url}/auth/callback?next=/reset-password`,
  )

  await page.goto(link)
  await expect(page).toHaveURL('/reset-password')
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible()
  await expectAccessible(page)
  await snapshot(page, 'reset-password')
  await page.getByLabel('New password', { exact: true }).fill('my brand new password')
  await page.getByLabel('Confirm new password').fill('my brand new password')
  await page.getByRole('button', { name: 'Save password' }).click()
  await expect(page).toHaveURL(`/org/${tenant.slug}/dashboard?notice=password-updated`)
  await expect(page.getByText('Your password was updated.')).toBeVisible()

  await signOut(page)
  await page.getByLabel('Email').fill(tenant.owner.email)
  await page.getByLabel('Password').fill(tenant.owner.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toHaveText('The email or password is incorrect.')
  await signIn(page, tenant.owner.email, 'my brand new password')
  await expect(page).toHaveURL(`/org/${tenant.slug}/dashboard`)

  // The emailed link works once.
  await page.goto(link)
  await expect(page.getByRole('heading', { name: 'This link did not work' })).toBeVisible()
})
