import { openMenu, signIn } from '#src/fixtures/session.ts'
import { expect, test } from '#src/fixtures/test.ts'

test("a second organization's data never shows", async ({ page, tenants, failures }) => {
  failures.allow(404, /\/org\//)
  const mine = await tenants.create({ name: 'Mine Inc' })
  const theirs = await tenants.create({ name: 'Theirs Inc' })
  const theirUnit = await theirs.owner.client.rpc('create_unit', {
    p_org_id: theirs.id,
    p_name: 'Secret lab',
  })
  const theirUnitId = (theirUnit.data as Array<{ id: string }>)[0]?.id
  const secretRole = await theirs.createRole('Secret role')
  await theirs.addMember(secretRole, { firstName: 'Hidden' })
  await mine.owner.client.rpc('create_unit', { p_org_id: mine.id, p_name: 'Open lab' })

  await signIn(page, mine.owner.email, mine.owner.password)

  // Their organization's pages answer as if it did not exist.
  for (const path of ['dashboard', 'members', 'units', 'roles', 'deals']) {
    const response = await page.goto(`/org/${theirs.slug}/${path}`)
    expect(response?.status()).toBe(404)
    await expect(
      page.getByText('This organization does not exist, or you are not a member of it.'),
    ).toBeVisible()
    await expect(page.getByText('Theirs Inc')).toHaveCount(0)
  }

  // Their unit's id inside my organization is not found either.
  const response = await page.goto(`/org/${mine.slug}/units/${theirUnitId}`)
  expect(response?.status()).toBe(404)
  await expect(page.getByText('This unit does not exist.')).toBeVisible()
  await expect(page.getByText('Secret lab')).toHaveCount(0)

  // My own screens list only my organization.
  await page.goto(`/org/${mine.slug}/members`)
  await expect(page.getByText('Hidden')).toHaveCount(0)
  await page.goto(`/org/${mine.slug}/units`)
  await expect(page.getByRole('link', { name: /Open lab/ })).toBeVisible()
  await expect(page.getByText('Secret lab')).toHaveCount(0)
  await page.goto(`/org/${mine.slug}/roles`)
  await expect(page.getByText('Secret role')).toHaveCount(0)
  await openMenu(page, 'Organization')
  await expect(page.getByRole('button', { name: /Mine Inc/ })).toBeVisible()
  await expect(page.getByText('Theirs Inc')).toHaveCount(0)
})
