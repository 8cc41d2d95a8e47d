import { expectAccessible } from '#src/fixtures/axe.ts'
import { openMenu, sessionClaims, signIn } from '#src/fixtures/session.ts'
import { expect, test } from '#src/fixtures/test.ts'

test('a member signs in, lands on their organization and signs out', async ({ page, tenants }) => {
  const tenant = await tenants.create({ name: 'Initech' })

  await page.goto('/')
  await expect(page).toHaveURL(/\/sign-in$/)
  await expect(page.getByRole('heading', { name: 'Sign in to your account' })).toBeVisible()
  await expectAccessible(page)

  await page.getByLabel('Email').fill(tenant.owner.email)
  await page.getByLabel('Password').fill(tenant.owner.password)
  await page.getByRole('button', { name: 'Sign in' }).click()

  await expect(page).toHaveURL(`/org/${tenant.slug}/dashboard`)
  await expect(page.getByRole('heading', { level: 1, name: 'Initech' })).toBeVisible()
  await expect(page.getByText('Your role')).toBeVisible()
  await expect(page.getByRole('navigation', { name: 'Organization' })).toBeVisible()
  await expectAccessible(page)
  expect((await sessionClaims(page)).tenant_id).toBe(tenant.id)

  // Menus open with their button and close with Escape or a click elsewhere.
  await openMenu(page, 'Account')
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeHidden()
  await openMenu(page, 'Account')
  await page.getByRole('heading', { level: 1 }).click()
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeHidden()
  await openMenu(page, 'Account')
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page).toHaveURL(/\/sign-in\?notice=signed-out$/)
  await expect(page.getByText('You have signed out.')).toBeVisible()
  expect((await page.context().cookies()).filter((c) => c.name.includes('auth-token'))).toEqual([])

  // The organization's pages now send visitors to sign in, and back afterwards.
  await page.goto(`/org/${tenant.slug}/members`)
  await expect(page).toHaveURL(
    `/sign-in?redirectTo=${encodeURIComponent(`/org/${tenant.slug}/members`)}`,
  )
  await page.getByLabel('Email').fill(tenant.owner.email)
  await page.getByLabel('Password').fill(tenant.owner.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page).toHaveURL(`/org/${tenant.slug}/members`)
})

test('a wrong password is refused with a sentence, and the email stays typed', async ({
  page,
  tenants,
  failures,
}) => {
  failures.allow(400, /\/sign-in/)
  const tenant = await tenants.create()
  await page.goto('/sign-in')
  await page.getByLabel('Email').fill(tenant.owner.email)
  await page.getByLabel('Password').fill('not the password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toHaveText('The email or password is incorrect.')
  await expect(page.getByLabel('Email')).toHaveValue(tenant.owner.email)
})

test('the organization switcher moves the session to the other organization', async ({
  page,
  tenants,
}) => {
  const first = await tenants.create({ name: 'Alpha Co' })
  const second = await tenants.create({ name: 'Beta Co' })
  const analyst = await second.createRole('Analyst', { permissions: ['deals.read'] })
  // The owner of Alpha is also an analyst at Beta.
  const invitation = await second.invite(analyst, first.owner.email)
  const accepted = await first.owner.client.rpc('accept_invitation', { p_token: invitation.token })
  expect(accepted.error).toBeNull()

  await signIn(page, first.owner.email, first.owner.password)
  await expect(page).toHaveURL(`/org/${first.slug}/dashboard`)
  expect((await sessionClaims(page)).tenant_id).toBe(first.id)

  await openMenu(page, 'Organization')
  await page.getByRole('button', { name: /Beta Co/ }).click()
  await expect(page).toHaveURL(`/org/${second.slug}/dashboard`)
  await expect(page.getByRole('heading', { level: 1, name: 'Beta Co' })).toBeVisible()
  await expect(page.getByRole('button', { name: /Alpha Co/ })).toBeHidden()
  const claims = await sessionClaims(page)
  expect(claims.tenant_id).toBe(second.id)
  expect(claims.role_id).toBe(analyst)
  expect(claims.permissions).toEqual(['deals.read'])

  // The switch is remembered: signing in again opens Beta.
  await page.context().clearCookies()
  await signIn(page, first.owner.email, first.owner.password)
  await expect(page).toHaveURL(`/org/${second.slug}/dashboard`)
})

test('stale claims are refreshed on the next page load after access changes', async ({
  page,
  tenants,
}) => {
  const tenant = await tenants.create()
  const lead = await tenant.createRole('Lead', { permissions: ['members.invite', 'deals.read'] })
  const junior = await tenant.createRole('Junior', { parentRoleId: lead })
  const member = await tenant.addMember(lead)

  await signIn(page, member.email, member.password)
  const before = await sessionClaims(page)
  expect(before.role_id).toBe(lead)

  const demoted = await tenant.owner.client.rpc('update_member_role', {
    p_org_id: tenant.id,
    p_user_id: member.id,
    p_role_id: junior,
  })
  expect(demoted.error).toBeNull()

  await page.reload()
  await expect(page.getByText('Junior', { exact: true }).first()).toBeVisible()
  const after = await sessionClaims(page)
  expect(after.role_id).toBe(junior)
  expect(after.authz_version).toBeGreaterThan(before.authz_version ?? 0)
})
