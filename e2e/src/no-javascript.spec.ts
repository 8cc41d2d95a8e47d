import { sessionClaims } from '#src/fixtures/session.ts'
import { expect, test } from '#src/fixtures/test.ts'
import { unique } from '#src/fixtures/unique.ts'

// Every form is a plain HTML form first: with JavaScript off, the same journey works.
test.use({ javaScriptEnabled: false })

test('signing in, switching organization, inviting, changing a role and removing a member work without JavaScript', async ({
  page,
  tenants,
  failures,
}) => {
  failures.allow(400, /\/sign-in/)
  const tenant = await tenants.create({ name: 'Plain HTML Co' })
  const other = await tenants.create({ name: 'Second Co' })
  const staff = await tenant.createRole('Staff')
  const intern = await tenant.createRole('Intern', { parentRoleId: staff })
  await tenant.addMember(staff, { firstName: 'Sol' })
  const guest = await other.createRole('Guest')
  const invitation = await other.invite(guest, tenant.owner.email)
  expect(
    (await tenant.owner.client.rpc('accept_invitation', { p_token: invitation.token })).error,
  ).toBeNull()

  await page.goto('/sign-in')
  await page.getByLabel('Email').fill(tenant.owner.email)
  await page.getByLabel('Password').fill('wrong password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toHaveText('The email or password is incorrect.')
  await expect(page.getByLabel('Email')).toHaveValue(tenant.owner.email)
  await page.getByLabel('Password').fill(tenant.owner.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page).toHaveURL(`/org/${tenant.slug}/dashboard`)

  await page.locator('summary', { hasText: 'Organization:' }).filter({ visible: true }).click()
  await page.getByRole('button', { name: /Second Co/ }).click()
  await expect(page).toHaveURL(`/org/${other.slug}/dashboard`)
  expect((await sessionClaims(page)).tenant_id).toBe(other.id)

  await page.goto(`/org/${tenant.slug}/members`)
  const email = `plain-${unique()}@e2e.test`
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Intern' })
  await page.getByRole('button', { name: 'Send invitation' }).click()
  await expect(page.getByRole('status')).toHaveText(`Invitation sent to ${email}.`)

  await page.getByLabel('Role of Sol', { exact: true }).selectOption({ label: 'Intern' })
  await page.getByRole('button', { name: 'Save the role of Sol' }).click()
  await expect(page.getByRole('status')).toHaveText('Role changed.')
  await expect(page.getByLabel('Role of Sol', { exact: true })).toHaveValue(intern)

  await page.getByLabel('Remove Sol').click()
  await page.getByRole('button', { name: 'Remove Sol' }).click()
  await expect(page.getByRole('status')).toHaveText('Member removed.')
  await expect(page.getByRole('row', { name: /Sol/ })).toHaveCount(0)

  await page.locator('summary', { hasText: 'Account:' }).filter({ visible: true }).click()
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page).toHaveURL(/\/sign-in\?notice=signed-out$/)
})
