import { expectAccessible } from '#src/fixtures/axe.ts'
import { signIn } from '#src/fixtures/session.ts'
import { snapshot } from '#src/fixtures/snapshots.ts'
import { expect, test } from '#src/fixtures/test.ts'

test('a member without the permissions sees no billing, audit or settings and gets 403 on their URLs; a non-admin gets 404 on /admin', async ({
  page,
  otherPage,
  tenants,
  failures,
}) => {
  failures.allow(403, /\/org\/[^/]+\/(billing|audit|settings)/)
  failures.allow(404, /\/admin/)
  const tenant = await tenants.create({ name: 'Guarded Co', ownerName: 'Olive' })
  const viewer = await tenant.addMember(
    await tenant.createRole('Viewer', { permissions: ['deals.read'] }),
    { firstName: 'Vic' },
  )

  await signIn(page, viewer.email, viewer.password)
  await page.goto(`/org/${tenant.slug}/dashboard`)
  const nav = page.getByRole('navigation', { name: 'Organization' }).filter({ visible: true })
  await expect(nav.getByRole('link')).toHaveText([
    'Dashboard',
    'Deals',
    'Members',
    'Units',
    'Roles',
  ])

  for (const [path, sentence] of [
    ['billing', 'Missing permission billing.manage'],
    ['audit', 'Missing permission audit.read'],
    ['settings', 'Only members who may edit the organization can open its settings.'],
  ] as const) {
    const response = await page.goto(`/org/${tenant.slug}/${path}`)
    expect(response?.status(), path).toBe(403)
    await expect(
      page.getByRole('heading', { level: 1, name: 'You cannot open this page' }),
    ).toBeVisible()
    await expect(page.getByText(sentence)).toBeVisible()
  }
  await snapshot(page, 'billing-forbidden')

  for (const path of ['/admin', '/admin/flags', '/admin/tenants/new']) {
    const response = await page.goto(path)
    expect(response?.status(), path).toBe(404)
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible()
  }
  await expectAccessible(page)

  // The owner holds every permission: the operator screens are in the nav.
  await signIn(otherPage, tenant.owner.email, tenant.owner.password)
  await otherPage.goto(`/org/${tenant.slug}/dashboard`)
  const ownerNav = otherPage
    .getByRole('navigation', { name: 'Organization' })
    .filter({ visible: true })
  await expect(ownerNav.getByRole('link')).toHaveText([
    'Dashboard',
    'Deals',
    'Members',
    'Units',
    'Roles',
    'Audit log',
    'Billing',
    'Settings',
  ])
})
