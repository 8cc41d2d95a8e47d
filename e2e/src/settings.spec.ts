import { expectAccessible } from '#src/fixtures/axe.ts'
import { openMenu, signIn } from '#src/fixtures/session.ts'
import { snapshot } from '#src/fixtures/snapshots.ts'
import { expect, test } from '#src/fixtures/test.ts'
import { unique } from '#src/fixtures/unique.ts'
import { stackStatus } from '#src/stack-status.ts'

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaPhfDwAEhgG0vZ2CpgAAAABJRU5ErkJggg==',
  'base64',
)

test('the owner renames the organization, moves its address, sets a logo, hands ownership over; the new owner deletes it with a typed confirmation', async ({
  page,
  otherPage,
  tenants,
  failures,
}) => {
  failures.allow(400, /\/settings/)
  failures.allow(404, /\/org\//)
  const tenant = await tenants.create({ name: 'Settled Co', ownerName: 'Olive' })
  const max = await tenant.addMember(await tenant.createRole('Member'), { firstName: 'Max' })
  const slug = `settled-${unique()}`

  await signIn(page, tenant.owner.email, tenant.owner.password)
  await page.goto(`/org/${tenant.slug}/settings`)
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible()
  await page.getByLabel('Name', { exact: true }).fill('Settled Company')
  await page.getByLabel('Slug').fill(slug.toUpperCase())
  await page.getByLabel('Description').fill('Where everything is settled.')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page).toHaveURL(`/org/${slug}/settings?saved=general`)
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible()
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Settled Company')

  // A file that is not an image is refused before anything is stored.
  await page.getByLabel('New logo').setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('hello'),
  })
  await page.getByRole('button', { name: 'Upload logo' }).click()
  await expect(page.getByText('Use a PNG, JPEG, WebP or GIF image.')).toBeVisible()
  await page.getByLabel('New logo').setInputFiles({
    name: 'logo.png',
    mimeType: 'image/png',
    buffer: PNG,
  })
  await page.getByRole('button', { name: 'Upload logo' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Logo updated.' })).toBeVisible()
  const logo = page.getByRole('img', { name: 'Logo of Settled Company' })
  await expect(logo).toBeVisible()
  expect(
    await logo.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
  ).toBe(1)
  await expectAccessible(page)
  await snapshot(page, 'settings-owner')

  // The audit log tells it.
  await page.goto(`/org/${slug}/audit`)
  const entries = page.getByRole('list', { name: 'Audit entries' }).getByRole('listitem')
  // Entries of one transaction share a time; their order among themselves is not fixed.
  for (const sentence of [
    'Olive uploaded a new logo',
    "Olive changed the organization's logo",
    "Olive renamed the organization from Settled Co to Settled Company and changed the organization's description",
    `Olive changed the organization's address from ${tenant.slug} to ${slug}`,
  ]) {
    await expect(entries.filter({ hasText: sentence })).toHaveCount(1)
  }

  // Ownership moves to Max; Olive takes Max's former role.
  await page.goto(`/org/${slug}/settings`)
  await page.getByLabel('New owner').selectOption({ label: 'Max (Member)' })
  await page.getByRole('button', { name: 'Transfer ownership' }).click()
  await expect(page.getByText('Confirm that you understand')).toBeVisible()
  await page.getByLabel('New owner').selectOption({ label: 'Max (Member)' })
  await page.getByLabel('I understand that I will no longer own this organization.').check()
  await page.getByRole('button', { name: 'Transfer ownership' }).click()
  await expect(page).toHaveURL(`/org/${slug}/members`)
  await expect(page.getByRole('row', { name: /Max/ })).toContainText('Owner')

  // Max deletes the organization; the confirmation must be the slug.
  await signIn(otherPage, max.email, max.password)
  await otherPage.goto(`/org/${slug}/settings`)
  await otherPage.getByLabel(`Type ${slug} to confirm`).fill('settled')
  await otherPage.getByRole('button', { name: 'Delete organization' }).click()
  await expect(otherPage.getByText(`Type ${slug} to confirm`).last()).toBeVisible()
  await expect(otherPage.getByLabel(`Type ${slug} to confirm`)).toHaveAttribute(
    'aria-invalid',
    'true',
  )
  await otherPage.getByLabel(`Type ${slug} to confirm`).fill(slug)
  await otherPage.getByRole('button', { name: 'Delete organization' }).click()
  await expect(
    otherPage.getByRole('heading', { name: 'You are not in any organization' }),
  ).toBeVisible()
  const gone = await page.goto(`/org/${slug}/dashboard`)
  expect(gone?.status()).toBe(404)
})

test('my profile: name, picture, password and email', async ({
  page,
  browser,
  tenants,
  failures,
}) => {
  failures.allow(400, /\/account/)
  const tenant = await tenants.create({ name: 'Profiled Co', ownerName: 'Olive' })
  await signIn(page, tenant.owner.email, tenant.owner.password)
  await page.goto(`/org/${tenant.slug}/dashboard`)
  await openMenu(page, 'Account')
  await page.getByRole('link', { name: 'Your profile' }).filter({ visible: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Your profile' })).toBeVisible()

  await page.getByLabel('First name').fill('Olivia')
  await page.getByLabel('Last name').fill('Owens')
  await page.getByRole('button', { name: 'Save name' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Name saved.' })).toBeVisible()

  await page
    .getByLabel('Picture')
    .setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: PNG })
  await page.getByRole('button', { name: 'Upload picture' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Picture updated.' })).toBeVisible()
  await expect(page.getByRole('img', { name: 'Olivia Owens' })).toBeVisible()

  await page.getByLabel('Current password').fill('not my password')
  await page.getByLabel('New password', { exact: true }).fill('a much better password')
  await page.getByLabel('Confirm new password').fill('a much better password')
  await page.getByRole('button', { name: 'Change password' }).click()
  await expect(page.getByText('This is not your current password')).toBeVisible()
  await page.getByLabel('Current password').fill(tenant.owner.password)
  await page.getByLabel('New password', { exact: true }).fill('a much better password')
  await page.getByLabel('Confirm new password').fill('a much better password')
  await page.getByRole('button', { name: 'Change password' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Password changed.' })).toBeVisible()
  await expectAccessible(page)
  await snapshot(page, 'profile')

  // The new password signs in.
  const fresh = await browser.newContext({ baseURL: stackStatus().app_url })
  await signIn(await fresh.newPage(), tenant.owner.email, 'a much better password')
  await fresh.close()

  const email = `olivia-${unique()}@e2e.test`
  await page.getByLabel('New email address').fill(email)
  await page.getByRole('button', { name: 'Change email' }).click()
  await expect(
    page.getByRole('status').filter({ hasText: `We sent a confirmation link to ${email}` }),
  ).toBeVisible()
  await snapshot(page, 'profile-email-sent')
  // On the next visit the page still says which address waits for confirmation.
  await page.reload()
  await expect(
    page.getByRole('status').filter({ hasText: `Waiting for confirmation of ${email}` }),
  ).toBeVisible()
  await expect(page.getByText(`You sign in with ${tenant.owner.email}.`)).toBeVisible()
  await snapshot(page, 'profile-email-pending')
})
