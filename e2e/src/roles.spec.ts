import type { Page } from '@playwright/test'
import { expectAccessible } from '#src/fixtures/axe.ts'
import { signIn } from '#src/fixtures/session.ts'
import { snapshot } from '#src/fixtures/snapshots.ts'
import { expect, test } from '#src/fixtures/test.ts'

/** The roles of an organization as the database holds them (id, name, parents, permissions). */
async function rolesOf(
  client: { rpc: (fn: string, args: object) => PromiseLike<{ data: unknown }> },
  orgId: string,
) {
  const { data } = await client.rpc('list_roles', { p_org_id: orgId })
  const rows = data as Array<{
    id: string
    label: string
    parent_role_ids: string[]
    permissions: string[]
  }>
  return Object.fromEntries(rows.map((r) => [r.label, r]))
}

async function createRole(
  page: Page,
  input: { name: string; parent: string; permissions?: string[] },
) {
  await page.getByRole('link', { name: 'New role' }).click()
  const form = page.getByRole('region', { name: 'New role' })
  await form.getByLabel('Role name').fill(input.name)
  await form.getByLabel('Reports to').selectOption({ label: input.parent })
  for (const code of input.permissions ?? []) await form.getByLabel(code, { exact: true }).check()
  await form.getByRole('button', { name: 'Create role' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'The role was created.' })).toBeVisible()
  await expect(page.getByRole('heading', { level: 2, name: input.name })).toBeVisible()
}

test('an owner builds a role DAG with a diamond, then renames, re-parents, re-permissions and deletes', async ({
  page,
  tenants,
}) => {
  const tenant = await tenants.create({ name: 'Diamond Works' })
  await signIn(page, tenant.owner.email, tenant.owner.password)
  await page.goto(`/org/${tenant.slug}/roles`)
  await expect(page.getByRole('heading', { level: 1, name: 'Roles' })).toBeVisible()
  const graph = page.getByTestId('role-graph')
  await expect(graph.getByRole('link', { name: /^Owner You/ })).toBeVisible()

  // Two branches under the owner, and a role that reports to both: a diamond.
  await createRole(page, { name: 'Sales lead', parent: 'Owner', permissions: ['deals.read'] })
  await createRole(page, { name: 'Marketing lead', parent: 'Owner' })
  await createRole(page, { name: 'Analyst', parent: 'Sales lead', permissions: ['deals.create'] })
  await page.getByLabel('Add a parent').selectOption({ label: 'Marketing lead' })
  await page.getByRole('button', { name: 'Add parent' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Parent added.' })).toBeVisible()

  const roles = await rolesOf(tenant.owner.client, tenant.id)
  const [owner, sales, marketing, analyst] = [
    roles.Owner,
    roles['Sales lead'],
    roles['Marketing lead'],
    roles.Analyst,
  ]
  expect(analyst?.parent_role_ids.sort()).toEqual([sales?.id, marketing?.id].sort())
  expect(analyst?.permissions).toEqual(['deals.create'])

  // The graph draws it: four edges, both leads side by side above the analyst.
  for (const [from, to] of [
    [owner, sales],
    [owner, marketing],
    [sales, analyst],
    [marketing, analyst],
  ]) {
    await expect(page.getByTestId(`rf__edge-${from?.id}->${to?.id}`)).toHaveCount(1)
  }
  const box = async (name: string) =>
    (await graph
      .getByRole('link', { name: new RegExp(`^${name} \\d+ members?$`) })
      .boundingBox()) ?? {
      x: 0,
      y: 0,
    }
  const [salesBox, marketingBox, analystBox] = [
    await box('Sales lead'),
    await box('Marketing lead'),
    await box('Analyst'),
  ]
  expect(salesBox.y).toBe(marketingBox.y)
  expect(salesBox.x).not.toBe(marketingBox.x)
  expect(analystBox.y).toBeGreaterThan(salesBox.y)
  // Fitted to the new graph without a reload: every role lies inside the canvas.
  const canvas = graph.getByRole('application', { name: 'Role hierarchy' })
  const outside = async () => {
    const frame = await canvas.boundingBox()
    const names = []
    for (const name of ['Owner', 'Sales lead', 'Marketing lead', 'Analyst']) {
      const role = await graph.getByRole('link', { name: new RegExp(`^${name} `) }).boundingBox()
      const inside =
        frame &&
        role &&
        role.x >= frame.x &&
        role.y >= frame.y &&
        role.x + role.width <= frame.x + frame.width &&
        role.y + role.height <= frame.y + frame.height
      if (!inside) names.push(name)
    }
    return names
  }
  await expect.poll(outside).toEqual([])

  // The list view says the same, for keyboard and screen-reader users.
  const table = page.getByRole('table', { name: 'Roles' })
  await expect(table.getByRole('row', { name: /Analyst/ })).toContainText('Marketing lead')
  await expect(table.getByRole('row', { name: /Analyst/ })).toContainText('Sales lead')
  await expectAccessible(page)
  await snapshot(page, 'roles-diamond')

  // Rename, through the list's link.
  await table.getByRole('link', { name: 'Edit Marketing lead' }).click()
  await expect(
    page.getByRole('heading', { level: 2, name: 'Marketing lead', exact: true }),
  ).toBeVisible()
  await page.getByLabel('Role name').fill('Growth lead')
  await page.getByRole('button', { name: 'Save name' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible()
  await expect(table.getByRole('row', { name: /^Growth lead/ })).toBeVisible()

  // Permissions: grant deals.read to the analyst.
  await table.getByRole('link', { name: 'Edit Analyst' }).click()
  await expect(page.getByRole('heading', { level: 2, name: 'Analyst', exact: true })).toBeVisible()
  await page.getByLabel('deals.read', { exact: true }).check()
  await page.getByRole('button', { name: 'Save permissions' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Permissions saved.' })).toBeVisible()
  expect((await rolesOf(tenant.owner.client, tenant.id)).Analyst?.permissions).toEqual([
    'deals.create',
    'deals.read',
  ])

  // Remove one parent of the diamond; the last parent cannot be removed, so it is not offered.
  await page.getByRole('button', { name: 'Remove Growth lead as a parent of Analyst' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Parent removed.' })).toBeVisible()
  await expect(page.getByRole('button', { name: /as a parent of Analyst/ })).toHaveCount(0)
  await expect(page.getByTestId(`rf__edge-${marketing?.id}->${analyst?.id}`)).toHaveCount(0)

  // Delete the growth lead (nobody holds it).
  await table.getByRole('link', { name: 'Edit Growth lead' }).click()
  await expect(
    page.getByRole('heading', { level: 2, name: 'Growth lead', exact: true }),
  ).toBeVisible()
  await page.getByText('Delete this role…').click()
  await page.getByRole('button', { name: 'Delete Growth lead' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'The role was deleted.' })).toBeVisible()
  await expect(table.getByRole('row', { name: /^Growth lead/ })).toHaveCount(0)
  await expect(graph.getByRole('link', { name: /^Growth lead/ })).toHaveCount(0)
})

test('a manager is offered only the roles below their own, and the database refuses the rest in its words', async ({
  page,
  tenants,
  failures,
}) => {
  failures.allow(403, /\/roles/)
  const tenant = await tenants.create()
  const manager = await tenant.createRole('Manager', {
    permissions: ['roles.manage', 'deals.read', 'deals.create'],
  })
  const rep = await tenant.createRole('Rep', {
    parentRoleId: manager,
    permissions: ['deals.create'],
  })
  const auditor = await tenant.createRole('Auditor', { permissions: ['audit.read'] })
  const max = await tenant.addMember(manager, { firstName: 'Max' })

  await signIn(page, max.email, max.password)
  await page.goto(`/org/${tenant.slug}/roles`)
  const table = page.getByRole('table', { name: 'Roles' })
  await expect(table.getByRole('link', { name: 'Edit Rep' })).toBeVisible()
  for (const name of ['Owner', 'Manager', 'Auditor']) {
    await expect(table.getByRole('link', { name: `View ${name}` })).toBeVisible()
  }

  // His own role: explained, not editable.
  await table.getByRole('link', { name: 'View Manager' }).click()
  await expect(page.getByRole('heading', { level: 2, name: 'Manager', exact: true })).toBeVisible()
  await expect(
    page.getByText('This is your role: nobody changes their own role; someone above you can.'),
  ).toBeVisible()
  await expect(page.getByRole('button', { name: 'Save permissions' })).toHaveCount(0)

  // A new role hangs under his role or below it, with permissions he holds.
  await page.getByRole('link', { name: 'New role' }).click()
  await expect(page.getByRole('region', { name: 'New role' })).toBeVisible()
  await expect(page.getByLabel('Reports to').locator('option')).toHaveText(['Manager', 'Rep'])
  const offered = page.getByRole('group', { name: 'Permissions' }).getByRole('checkbox')
  await expect(offered).toHaveCount(3)
  await expect(page.getByLabel('audit.read', { exact: true })).toHaveCount(0)
  await page.getByRole('link', { name: 'Cancel' }).click()

  // Rep is below him: editable, but only with what he holds.
  await table.getByRole('link', { name: 'Edit Rep' }).click()
  await expect(page.getByRole('heading', { level: 2, name: 'Rep', exact: true })).toBeVisible()
  // Its only possible parent is Manager, which it already has.
  await expect(page.getByLabel('Add a parent')).toHaveCount(0)
  await expect(
    page.getByRole('group', { name: 'Granted to this role' }).getByRole('checkbox'),
  ).toHaveCount(3)
  await expectAccessible(page)
  await snapshot(page, 'roles-manager')

  // A hand-made post against a role that is not below him: the database's sentence.
  const response = await page.request.post(`/org/${tenant.slug}/roles`, {
    form: { intent: 'set-permissions', target: auditor, permission: 'deals.read' },
    headers: { accept: 'text/html' },
  })
  expect(response.status()).toBe(403)
  expect(await response.text()).toContain('You can only manage roles below your own')
  const grant = await page.request.post(`/org/${tenant.slug}/roles`, {
    form: { intent: 'set-permissions', target: rep, permission: 'audit.read' },
    headers: { accept: 'text/html' },
  })
  expect(grant.status()).toBe(403)
  expect(await grant.text()).toContain('You cannot grant a permission you do not hold: audit.read')
})

test('a member without roles.manage sees the graph and the list, and nothing to change', async ({
  page,
  tenants,
}) => {
  const tenant = await tenants.create()
  const rep = await tenant.createRole('Rep', { permissions: ['deals.create'] })
  await tenant.createRole('Trainee', { parentRoleId: rep })
  const sam = await tenant.addMember(rep, { firstName: 'Sam' })
  await signIn(page, sam.email, sam.password)
  await page.goto(`/org/${tenant.slug}/roles`)
  await expect(page.getByTestId('role-graph').getByRole('link', { name: /^Rep You/ })).toBeVisible()
  await expect(page.getByRole('link', { name: 'New role' })).toHaveCount(0)
  await page
    .getByRole('table', { name: 'Roles' })
    .getByRole('link', { name: 'View Trainee' })
    .click()
  await expect(page.getByRole('heading', { level: 2, name: 'Trainee' })).toBeVisible()
  await expect(page.getByText('Changing roles needs the roles.manage permission.')).toBeVisible()
  for (const name of ['Save name', 'Save permissions', 'Add parent']) {
    await expect(page.getByRole('button', { name })).toHaveCount(0)
  }
  await expect(page.getByRole('textbox')).toHaveCount(0)
  await expectAccessible(page)
})

test('without JavaScript the server draws the same graph, and each role is a link', async ({
  newPage,
  tenants,
}) => {
  const tenant = await tenants.create()
  const lead = await tenant.createRole('Lead')
  const other = await tenant.createRole('Other lead')
  const both = await tenant.createRole('Both', { parentRoleId: lead })
  await tenant.owner.client.rpc('add_role_parent', { p_role_id: both, p_parent_role_id: other })

  const page = await newPage({ javaScriptEnabled: false })
  await signIn(page, tenant.owner.email, tenant.owner.password)
  const response = await page.goto(`/org/${tenant.slug}/roles`)
  expect(response?.status()).toBe(200)
  const drawing = page.getByRole('navigation', {
    name: 'Role hierarchy (the table lists the same roles)',
  })
  await expect(drawing).toBeVisible()
  await expect(drawing.locator('polyline')).toHaveCount(4)
  await drawing.getByRole('link', { name: /^Both/ }).click()
  await expect(page).toHaveURL(new RegExp(`\\?role=${both}$`))
  await expect(page.getByRole('heading', { level: 2, name: 'Both' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Remove Lead as a parent of Both' })).toBeVisible()
})
