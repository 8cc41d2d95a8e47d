import { expectAccessible } from '#src/fixtures/axe.ts'
import { signIn } from '#src/fixtures/session.ts'
import { snapshot } from '#src/fixtures/snapshots.ts'
import { expect, test } from '#src/fixtures/test.ts'

test('the audit log tells a member removal in words, and filters by person, kind and date', async ({
  page,
  tenants,
}) => {
  const tenant = await tenants.create({ name: 'Audited Co', ownerName: 'Olive' })
  const memberRole = await tenant.createRole('Member')
  await tenant.addMember(memberRole, { firstName: 'Max' })

  await signIn(page, tenant.owner.email, tenant.owner.password)
  await page.goto(`/org/${tenant.slug}/members`)
  await page.getByLabel('Remove Max').click()
  await page.getByRole('button', { name: 'Remove Max' }).click()
  await expect(page.getByRole('status')).toHaveText('Member removed.')

  await page.getByRole('link', { name: 'Audit log' }).filter({ visible: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible()
  const entries = page.getByRole('list', { name: 'Audit entries' }).getByRole('listitem')
  await expect(entries.first()).toContainText('Olive removed Max from the organization')
  await expect(entries.filter({ hasText: 'Max joined as Member' })).toHaveCount(1)
  await expect(entries.filter({ hasText: 'Olive created the role Member' })).toHaveCount(1)
  await expectAccessible(page)
  await snapshot(page, 'audit')

  // Only membership changes, by Olive, today.
  const today = new Date().toISOString().slice(0, 10)
  await page.getByLabel('Person').selectOption({ label: 'Olive' })
  await page.getByLabel('Kind of change').selectOption({ label: 'Members' })
  await page.getByLabel('From').fill(today)
  await page.getByLabel('To').fill(today)
  await page.getByRole('button', { name: 'Apply filters' }).click()
  await expect(page).toHaveURL(/what=core\.memberships/)
  await expect(entries).toHaveCount(1)
  await expect(entries.first()).toContainText('Olive removed Max from the organization')
  await expect(page.getByLabel('Kind of change')).toHaveValue('core.memberships')

  // A period before anything happened.
  await page.getByLabel('From').fill('2020-01-01')
  await page.getByLabel('To').fill('2020-01-31')
  await page.getByRole('button', { name: 'Apply filters' }).click()
  await expect(page.getByText('No changes match these filters')).toBeVisible()
  await page.getByRole('link', { name: 'Reset' }).click()
  await expect(entries.first()).toContainText('Olive removed Max from the organization')
})
