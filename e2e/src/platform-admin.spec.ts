import { expectAccessible } from '#src/fixtures/axe.ts'
import { asDatabaseOwner } from '#src/fixtures/database.ts'
import { waitForEmail } from '#src/fixtures/mail.ts'
import { signIn } from '#src/fixtures/session.ts'
import { snapshot } from '#src/fixtures/snapshots.ts'
import { expect, test } from '#src/fixtures/test.ts'
import { unique } from '#src/fixtures/unique.ts'

test('a platform admin finds tenants, provisions one from /admin (the invitation arrives by email), overrides its plan, and every action is in the action log', async ({
  page,
  tenants,
}) => {
  const home = await tenants.create({ name: `Operators ${unique()}`, ownerName: 'Ada' })
  const admin = home.owner
  const made = await tenants.service.rpc('platform_set_admin', {
    p_user_id: admin.id,
    p_is_admin: true,
  })
  expect(made.error).toBeNull()
  const id = unique()
  const name = `Initech ${id}`
  const slug = `initech-${id}`
  const bossEmail = `boss-${id}@e2e.test`
  try {
    await signIn(page, admin.email, admin.password)
    await page.goto('/admin')
    await expect(page.getByRole('heading', { level: 1, name: 'Tenants' })).toBeVisible()
    await page.getByRole('searchbox', { name: 'Search tenants' }).fill(home.slug)
    await page.getByRole('button', { name: 'Search' }).click()
    const rows = page.getByRole('table').getByRole('row')
    await expect(rows).toHaveCount(2)
    await expect(rows.nth(1)).toContainText(home.name)
    await expect(rows.nth(1)).toContainText('Free')
    await expectAccessible(page)
    await snapshot(page, 'admin-tenants')

    // Provision: the same path as `pnpm provision`, run with the admin's own session.
    await page.getByRole('link', { name: 'Provision a tenant' }).first().click()
    await page.getByLabel('Organization name').fill(name)
    await page.getByLabel('Slug').fill(slug)
    await page.getByLabel('Admin email').fill(bossEmail)
    await page.getByRole('button', { name: 'Provision and send invitation' }).click()
    const done = page.getByRole('status').filter({ hasText: 'Tenant provisioned' })
    await expect(done).toContainText(`${name} is ready. The invitation was sent to ${bossEmail}.`)
    await expectAccessible(page)
    await snapshot(page, 'admin-provisioned')

    const email = await waitForEmail(bossEmail, /to join Initech/)
    expect(email.Subject).toBe(`You have been invited to join ${name} on Tenantbase`)
    const link = email.links.find((l) => l.includes('/invite/'))
    expect(link, 'the invitation link').toBeTruthy()
    await expect(done).toContainText(link ?? '')

    // The tenant's page: plan override and a feature flag for it.
    await done.getByRole('link', { name: 'Open the tenant' }).click()
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible()
    await page.getByLabel('Plan', { exact: true }).fill('enterprise')
    await page.getByLabel('Features (JSON)').fill('{"members": 250, "audit_log": true}')
    await page.getByLabel('Reason').fill('Pilot customer')
    await page.getByRole('button', { name: 'Save override' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'enterprise' })).toHaveText(
      'The tenant is now on the enterprise plan.',
    )
    const plan = page.locator('section', { has: page.getByRole('heading', { name: 'Plan' }) })
    await expect(plan).toContainText('Up to 250 members')
    await expectAccessible(page)
    await snapshot(page, 'admin-tenant')

    // Everything above is in the action log, newest first.
    await page.getByRole('link', { name: 'Action log' }).filter({ visible: true }).click()
    const log = page.getByRole('list', { name: 'Platform actions' }).getByRole('listitem')
    await expect(log.nth(0)).toContainText(`${admin.email} put ${name} on the enterprise plan`)
    await expect(log.nth(1)).toContainText(`${admin.email} provisioned ${name} for ${bossEmail}`)
    await expectAccessible(page)
    await snapshot(page, 'admin-log')

    // The invitation opens the landing page for the new tenant.
    await page.goto(link ?? '/')
    await expect(page.getByRole('heading', { level: 1, name: `Join ${name}` })).toBeVisible()
  } finally {
    await asDatabaseOwner('update core.organizations set is_deleted = true where slug = $1', [slug])
    await tenants.service.rpc('platform_set_admin', { p_user_id: admin.id, p_is_admin: false })
  }
})

test('a platform admin manages feature flags and settings', async ({ page, tenants, failures }) => {
  failures.allow(400, /\/admin\/settings/)
  const home = await tenants.create({ name: `Flags ${unique()}`, ownerName: 'Ada' })
  await tenants.service.rpc('platform_set_admin', { p_user_id: home.owner.id, p_is_admin: true })
  const key = `e2e.flag_${unique()}`
  try {
    await signIn(page, home.owner.email, home.owner.password)
    await page.goto('/admin/flags')
    await page.getByLabel('Key').fill(key)
    await page.getByLabel('Description').fill('A flag of the e2e suite')
    await page.getByRole('button', { name: 'Save flag' }).click()
    await expect(page.getByRole('status').filter({ hasText: key })).toHaveText(`Flag ${key} saved.`)
    const row = page.getByRole('row', { name: new RegExp(key.replaceAll('.', '\\.')) })
    await expect(row).toContainText('off')
    await row.getByRole('button', { name: `Turn on ${key}` }).click()
    await expect(page.getByRole('status').first()).toHaveText(`${key} is now on by default.`)
    await expect(row).toContainText('on')
    await expectAccessible(page)
    await snapshot(page, 'admin-flags')

    await page.goto('/admin/settings')
    const setting = page.locator('form', { has: page.getByText('free_plan_features') })
    await setting.getByRole('textbox').fill('not json')
    await setting.getByRole('button', { name: 'Save free_plan_features' }).click()
    await expect(setting.getByText('Write a JSON value')).toBeVisible()
    await expectAccessible(page)
    await snapshot(page, 'admin-settings')
  } finally {
    await asDatabaseOwner('delete from platform.platform_feature_flags where key = $1', [key])
    await tenants.service.rpc('platform_set_admin', {
      p_user_id: home.owner.id,
      p_is_admin: false,
    })
  }
})
