import { expectAccessible } from '#src/fixtures/axe.ts'
import { sessionClaims, signIn } from '#src/fixtures/session.ts'
import { snapshot } from '#src/fixtures/snapshots.ts'
import { expect, test } from '#src/fixtures/test.ts'

const LEAD_PERMISSIONS = ['members.invite', 'members.manage', 'units.manage', 'deals.read']

test('a demoted member sees the change on their next page load, a removed one loses the organization', async ({
  page,
  otherPage,
  tenants,
  failures,
}) => {
  failures.allow(404, /\/org\//)
  const tenant = await tenants.create({ name: 'Globochem', ownerName: 'Gloria' })
  const lead = await tenant.createRole('Lead', { permissions: LEAD_PERMISSIONS })
  const agent = await tenant.createRole('Agent', {
    parentRoleId: lead,
    permissions: ['deals.read'],
  })
  const leo = await tenant.addMember(lead, { firstName: 'Leo' })

  // Leo, a lead, may invite.
  await signIn(otherPage, leo.email, leo.password)
  await otherPage.goto(`/org/${tenant.slug}/members`)
  await expect(otherPage.getByRole('heading', { name: 'Invite someone' })).toBeVisible()
  await expect(otherPage.getByLabel('Role', { exact: true }).locator('option')).toHaveText([
    'Agent',
  ])

  // The owner demotes Leo to Agent.
  await signIn(page, tenant.owner.email, tenant.owner.password)
  await page.goto(`/org/${tenant.slug}/members`)
  await page.getByLabel('Role of Leo', { exact: true }).selectOption({ label: 'Agent' })
  await page.getByRole('button', { name: 'Save the role of Leo' }).click()
  await expect(page.getByRole('status')).toHaveText('Role changed.')
  await expect(page.getByLabel('Role of Leo', { exact: true })).toHaveValue(agent)

  // Leo's next page load: no invite form, the new role, fresh claims.
  await otherPage.reload()
  await expect(otherPage.getByRole('heading', { level: 1, name: 'Members' })).toBeVisible()
  await expect(otherPage.getByRole('heading', { name: 'Invite someone' })).toHaveCount(0)
  await expect(otherPage.getByRole('button', { name: /^Remove/ })).toHaveCount(0)
  const claims = await sessionClaims(otherPage)
  expect(claims.role_id).toBe(agent)
  expect(claims.permissions).toEqual(['deals.read'])
  await expectAccessible(otherPage)
  await snapshot(otherPage, 'members-without-permissions')

  // The owner removes Leo.
  await page.getByLabel('Remove Leo').click()
  await page.getByRole('button', { name: 'Remove Leo' }).click()
  await expect(page.getByRole('status')).toHaveText('Member removed.')
  await expect(page.getByRole('row', { name: /Leo/ })).toHaveCount(0)

  // Leo's next page load: the organization is gone for him.
  await otherPage.reload()
  await expect(otherPage.getByRole('heading', { name: 'Page not found' })).toBeVisible()
  await expect(
    otherPage.getByText('This organization does not exist, or you are not a member of it.'),
  ).toBeVisible()
  await otherPage.getByRole('link', { name: 'Go to your organizations' }).click()
  await expect(
    otherPage.getByRole('heading', { name: 'You are not in any organization' }),
  ).toBeVisible()
})

test('the database refuses what the page did not offer, in its own words', async ({
  page,
  tenants,
  failures,
}) => {
  failures.allow(403, /\/members/)
  const tenant = await tenants.create()
  const lead = await tenant.createRole('Lead', { permissions: LEAD_PERMISSIONS })
  const peer = await tenant.addMember(lead, { firstName: 'Pat' })
  const me = await tenant.addMember(lead, { firstName: 'Mia' })

  // Mia manages members but Pat holds the same role: no controls are offered for Pat's row.
  await signIn(page, me.email, me.password)
  await page.goto(`/org/${tenant.slug}/members`)
  await expect(page.getByRole('row', { name: /Pat/ })).toBeVisible()
  await expect(page.getByLabel('Role of Pat')).toHaveCount(0)
  await expect(page.getByLabel('Remove Pat')).toHaveCount(0)

  // A hand-made form post is refused by the database with its sentence.
  const response = await page.request.post(`/org/${tenant.slug}/members`, {
    form: { intent: 'remove', target: peer.id },
    headers: { accept: 'text/html' },
  })
  expect(response.status()).toBe(403)
  expect(await response.text()).toContain(
    'You can only manage members whose role is below your own',
  )
})

test('a member without member permissions sees the list only', async ({ page, tenants }) => {
  const tenant = await tenants.create({ name: 'Readers Ltd' })
  const reader = await tenant.createRole('Reader', { permissions: ['deals.read'] })
  const person = await tenant.addMember(reader, { firstName: 'Rita' })
  await signIn(page, person.email, person.password)
  await page.goto(`/org/${tenant.slug}/members`)
  await expect(page.getByRole('row', { name: /Rita/ })).toContainText('Reader')
  await expect(page.getByRole('heading', { name: 'Invite someone' })).toHaveCount(0)
  await expect(page.getByRole('heading', { name: 'Pending invitations' })).toHaveCount(0)
  await expect(page.getByRole('combobox')).toHaveCount(0)
  await expectAccessible(page)
})
