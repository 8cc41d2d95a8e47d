import { expectAccessible } from '#src/fixtures/axe.ts'
import { signIn } from '#src/fixtures/session.ts'
import { snapshot } from '#src/fixtures/snapshots.ts'
import { expect, test } from '#src/fixtures/test.ts'

test('an admin creates a unit, adds and removes a member, and deletes it', async ({
  page,
  tenants,
  failures,
}) => {
  failures.allow(400, /\/units/)
  failures.allow(409, /\/units/)
  const tenant = await tenants.create({ name: 'Umbrella' })
  const field = await tenant.createRole('Field agent', { permissions: ['deals.read'] })
  const ada = await tenant.addMember(field, { firstName: 'Ada' })

  await signIn(page, tenant.owner.email, tenant.owner.password)
  await page
    .getByRole('navigation', { name: 'Organization' })
    .getByRole('link', { name: 'Units' })
    .click()
  await expect(page.getByRole('heading', { level: 1, name: 'Units' })).toBeVisible()
  await expect(page.getByText('No units yet')).toBeVisible()

  await page.getByRole('button', { name: 'Create unit' }).click()
  await expect(page.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByText('Give the unit a name')).toBeVisible()

  await page.getByLabel('Name').fill('Research')
  await page.getByLabel('Description (optional)').fill('Labs and field work')
  await page.getByRole('button', { name: 'Create unit' }).click()
  await expect(page.getByRole('status')).toHaveText('Unit "Research" created.')
  await expect(page.getByRole('link', { name: /Research/ })).toBeVisible()
  await expectAccessible(page)
  await snapshot(page, 'units')

  await page.getByLabel('Name').fill('Research')
  await page.getByRole('button', { name: 'Create unit' }).click()
  await expect(page.getByRole('alert')).toHaveText(
    'A unit named "Research" already exists in this organization',
  )
  await expect(page.getByLabel('Name')).toHaveValue('Research')

  await page.getByRole('link', { name: /Research/ }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Research' })).toBeVisible()
  await page.getByLabel('Member').selectOption({ label: `Ada (${ada.email})` })
  await page.getByLabel('Role').selectOption({ label: 'Field agent' })
  await page.getByRole('button', { name: 'Add to unit' }).click()
  await expect(page.getByRole('status')).toHaveText('Member added to the unit.')
  await expect(page.getByRole('row', { name: /Ada/ })).toContainText('Field agent')
  await expectAccessible(page)
  await snapshot(page, 'unit')

  await page.getByLabel('Remove Ada from the unit').click()
  await page.getByRole('button', { name: 'Remove Ada' }).click()
  await expect(page.getByRole('status')).toHaveText('Removed from the unit.')
  await expect(page.getByRole('row', { name: /Ada/ })).toHaveCount(0)

  await page.getByText('Delete unit').click()
  await page.getByRole('button', { name: 'Delete Research' }).click()
  await expect(page).toHaveURL(`/org/${tenant.slug}/units`)
  await expect(page.getByText('No units yet')).toBeVisible()
})

test('members without units.manage see units but cannot change them', async ({ page, tenants }) => {
  const tenant = await tenants.create()
  const unit = await tenant.owner.client.rpc('create_unit', {
    p_org_id: tenant.id,
    p_name: 'Sales',
  })
  expect(unit.error).toBeNull()
  const reader = await tenant.createRole('Reader')
  const person = await tenant.addMember(reader)
  await signIn(page, person.email, person.password)
  await page.goto(`/org/${tenant.slug}/units`)
  await expect(page.getByRole('link', { name: /Sales/ })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Create unit' })).toHaveCount(0)
  await page.getByRole('link', { name: /Sales/ }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Sales' })).toBeVisible()
  await expect(page.getByText('Delete unit')).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Add to unit' })).toHaveCount(0)
})
