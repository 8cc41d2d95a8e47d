import type { Page } from '@playwright/test'
import { expectAccessible } from '#src/fixtures/axe.ts'
import { signIn } from '#src/fixtures/session.ts'
import { snapshot } from '#src/fixtures/snapshots.ts'
import { expect, test } from '#src/fixtures/test.ts'

/** The deals table lists exactly these titles, in this order (none: the empty state). */
async function expectDeals(page: Page, titles: string[]) {
  const links = page.getByRole('table', { name: 'Deals' }).getByRole('link')
  if (titles.length) await expect(links).toHaveText(titles)
  else await expect(page.getByText(/^No deals (yet|match)$/)).toBeVisible()
}

async function createDeal(page: Page, title: string, visibility: string, amount = '') {
  await page
    .getByRole('navigation', { name: 'Organization' })
    .getByRole('link', { name: 'Deals' })
    .click()
  await page.getByRole('link', { name: 'New deal' }).click()
  const form = page.getByRole('region', { name: 'New deal' })
  await form.getByLabel('Title', { exact: true }).fill(title)
  await form.getByLabel('Amount (USD)').fill(amount)
  await form.getByRole('radio', { name: visibility }).check()
  await form.getByRole('button', { name: 'Create deal' }).click()
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
  await expect(page.getByText('The deal was created. You own it.')).toBeVisible()
  return page.url().split('/deals/')[1]?.split('?')[0] ?? ''
}

test('deals of each visibility are seen exactly by whom the engine allows; a demotion applies on the next page load', async ({
  page,
  newPage,
  tenants,
  failures,
}) => {
  failures.allow(404, /\/deals\//)
  const tenant = await tenants.create({ name: 'Acme Sales' })
  const lead = await tenant.createRole('Lead', { permissions: ['deals.create'] })
  const rep = await tenant.createRole('Rep', { parentRoleId: lead, permissions: ['deals.create'] })
  const junior = await tenant.createRole('Junior', { parentRoleId: rep })
  const reader = await tenant.createRole('Reader', { permissions: ['deals.read'] })
  const rita = await tenant.addMember(rep, { firstName: 'Rita' })
  const leo = await tenant.addMember(lead, { firstName: 'Leo' })
  const rhea = await tenant.addMember(reader, { firstName: 'Rhea' })
  const jo = await tenant.addMember(junior, { firstName: 'Jo' })

  // Rita, a rep, creates one deal of each visibility.
  await signIn(page, rita.email, rita.password)
  await page.goto(`/org/${tenant.slug}/deals`)
  await expectAccessible(page)
  const ids = {
    private: await createDeal(page, 'Private plan', 'Private', '1000'),
    controlled: await createDeal(page, 'Controlled forecast', 'Controlled', '25,000'),
    public: await createDeal(page, 'Public pitch', 'Public'),
  }
  await page.goto(`/org/${tenant.slug}/deals`)
  await expectDeals(page, ['Public pitch', 'Controlled forecast', 'Private plan'])
  await page
    .getByRole('navigation', { name: 'Filter by visibility' })
    .getByRole('link', { name: 'Private' })
    .click()
  await expect(page).toHaveURL(/\?visibility=private$/)
  await expectDeals(page, ['Private plan'])
  await snapshot(page, 'deals-filtered')

  // Each person in their own browser sees exactly what the engine allows.
  const sees = async (who: { email: string; password: string }, expected: string[]) => {
    const browser = await newPage()
    await signIn(browser, who.email, who.password)
    await browser.goto(`/org/${tenant.slug}/deals`)
    await expect(browser.getByRole('heading', { level: 1, name: 'Deals' })).toBeVisible()
    await expectDeals(browser, expected)
    return browser
  }
  const leoPage = await sees(leo, ['Controlled forecast']) // above Rita's role
  const rheaPage = await sees(rhea, ['Public pitch']) // holds deals.read
  const joPage = await sees(jo, []) // below Rita's role, no permission
  await sees(tenant.owner, ['Public pitch', 'Controlled forecast']) // root: above all, every code
  await expect(joPage.getByText('No deals yet')).toBeVisible()
  await expect(joPage.getByRole('link', { name: 'New deal' })).toHaveCount(0)

  // What each may do on the deal they see.
  await leoPage.getByRole('link', { name: 'Controlled forecast' }).click()
  await expect(leoPage.getByRole('button', { name: 'Save changes' })).toBeVisible()
  await expect(leoPage.getByRole('button', { name: 'Change visibility' })).toBeVisible()
  await expect(leoPage.getByText('Delete this deal…')).toBeVisible()
  await expect(leoPage.getByText('Owned by Rita (Rep)')).toBeVisible()
  await rheaPage.getByRole('link', { name: 'Public pitch' }).click()
  await expect(rheaPage.getByText('You can see this deal but not change it.')).toBeVisible()
  await expect(rheaPage.getByRole('button', { name: 'Change visibility' })).toHaveCount(0)
  await expect(rheaPage.getByText('Delete this deal…')).toHaveCount(0)
  await expectAccessible(rheaPage)
  await snapshot(rheaPage, 'deal-read-only')

  // Deals they may not see answer 404, whoever asks.
  for (const [browser, id] of [
    [rheaPage, ids.private],
    [rheaPage, ids.controlled],
    [joPage, ids.public],
    [leoPage, ids.private],
  ] as const) {
    const response = await browser.goto(`/org/${tenant.slug}/deals/${id}`)
    expect(response?.status()).toBe(404)
    await expect(
      browser.getByText('This deal does not exist, or you may not see it.'),
    ).toBeVisible()
  }

  // The owner moves Leo below Rita's role: his next page load no longer shows her deal.
  await leoPage.goto(`/org/${tenant.slug}/deals/${ids.controlled}`)
  await expect(
    leoPage.getByRole('heading', { level: 1, name: 'Controlled forecast' }),
  ).toBeVisible()
  const demoted = await tenant.owner.client.rpc('update_member_role', {
    p_org_id: tenant.id,
    p_user_id: leo.id,
    p_role_id: junior,
  })
  expect(demoted.error).toBeNull()
  const response = await leoPage.reload()
  expect(response?.status()).toBe(404)
  await leoPage.goto(`/org/${tenant.slug}/deals`)
  await expectDeals(leoPage, [])
})

test('the owner of a deal edits it, changes who sees it and deletes it; bad input keeps what was typed', async ({
  page,
  tenants,
  failures,
}) => {
  failures.allow(400, /\/deals/)
  const tenant = await tenants.create({ name: 'Pipeline Co' })
  await signIn(page, tenant.owner.email, tenant.owner.password)
  await page.goto(`/org/${tenant.slug}/deals`)
  await expect(page.getByText('No deals yet')).toBeVisible()

  // Refused by the form: the typed values stay, each error sits by its field.
  await page.getByRole('link', { name: 'New deal' }).click()
  await expect(page.getByRole('region', { name: 'New deal' })).toBeVisible()
  await page.getByLabel('Amount (USD)').fill('twelve')
  await page.getByRole('radio', { name: 'Public' }).check()
  await page.getByRole('button', { name: 'Create deal' }).click()
  await expect(page.getByLabel('Title', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByText('Enter a title')).toBeVisible()
  await expect(page.getByText('Enter an amount in dollars, like 12500 or 99.50')).toBeVisible()
  await expect(page.getByLabel('Amount (USD)')).toHaveValue('twelve')
  await expect(page.getByRole('radio', { name: 'Public' })).toBeChecked()
  await expectAccessible(page)
  await snapshot(page, 'deal-create-errors')

  await page.getByLabel('Title', { exact: true }).fill('Rocket skates')
  await page.getByLabel('Amount (USD)').fill('$1,250.50')
  await page.getByRole('button', { name: 'Create deal' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Rocket skates' })).toBeVisible()

  await page.getByLabel('Title', { exact: true }).fill('Rocket skates, pair')
  await page.getByLabel('Stage').selectOption({ label: 'Proposal' })
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible()
  await expect(page.getByRole('heading', { level: 1, name: 'Rocket skates, pair' })).toBeVisible()
  await expect(page.getByLabel('Amount (USD)')).toHaveValue('1250.50')

  await page.getByRole('radio', { name: 'Controlled' }).check()
  await page.getByRole('button', { name: 'Change visibility' }).click()
  await expect(
    page.getByRole('status').filter({ hasText: 'The deal is now controlled.' }),
  ).toBeVisible()
  await expectAccessible(page)
  await snapshot(page, 'deal-owner')

  await page.getByText('Delete this deal…').click()
  await page.getByRole('button', { name: 'Delete deal' }).click()
  await expect(page).toHaveURL(`/org/${tenant.slug}/deals?notice=deleted`)
  await expect(page.getByText('The deal was deleted.')).toBeVisible()
  await expectDeals(page, [])
})

test('the list pages through deals, also within one visibility', async ({ page, tenants }) => {
  const tenant = await tenants.create()
  for (let i = 1; i <= 23; i++) {
    const { error } = await tenant.owner.client.rpc('create_deal', {
      p_org_id: tenant.id,
      p_title: `Deal ${String(i).padStart(2, '0')}`,
      p_visibility: i % 2 ? 'public' : 'private',
    })
    expect(error).toBeNull()
  }
  await signIn(page, tenant.owner.email, tenant.owner.password)
  await page.goto(`/org/${tenant.slug}/deals`)
  const rows = page.getByRole('table', { name: 'Deals' }).getByRole('link')
  await expect(rows).toHaveCount(20)
  await expect(rows.first()).toHaveText('Deal 23')
  const pages = page.getByRole('navigation', { name: 'Pages' })
  await expect(pages.getByRole('link', { name: 'Previous' })).toHaveCount(0)
  await pages.getByRole('link', { name: 'Next' }).click()
  await expect(page).toHaveURL(/\?page=2$/)
  await expectDeals(page, ['Deal 03', 'Deal 02', 'Deal 01'])
  await expect(pages.getByRole('link', { name: 'Next' })).toHaveCount(0)
  await pages.getByRole('link', { name: 'Previous' }).click()
  await expect(page).toHaveURL(new RegExp(`/org/${tenant.slug}/deals$`))
  await expect(rows).toHaveCount(20)

  await page
    .getByRole('navigation', { name: 'Filter by visibility' })
    .getByRole('link', { name: 'Public' })
    .click()
  await expect(page).toHaveURL(/\?visibility=public$/)
  await expect(rows).toHaveCount(12)
  await expect(page.getByRole('navigation', { name: 'Pages' })).toHaveCount(0)
  await page.getByLabel('Search deals by title').fill('Deal 1')
  await page.getByRole('button', { name: 'Search' }).click()
  await expect(page).toHaveURL(/\?visibility=public&q=Deal\+1$/)
  await expectDeals(page, ['Deal 19', 'Deal 17', 'Deal 15', 'Deal 13', 'Deal 11'])
})

test('a holder of deals.update edits a public deal but cannot hide it; the database says why', async ({
  page,
  tenants,
  failures,
}) => {
  failures.allow(403, /\/deals\//)
  const tenant = await tenants.create()
  const seller = await tenant.createRole('Seller', { permissions: ['deals.create'] })
  const editor = await tenant.createRole('Editor', { permissions: ['deals.read', 'deals.update'] })
  const sid = await tenant.addMember(seller, { firstName: 'Sid' })
  const eve = await tenant.addMember(editor, { firstName: 'Eve' })
  const created = await sid.client.rpc('create_deal', {
    p_org_id: tenant.id,
    p_title: 'Shared pitch',
    p_visibility: 'public',
  })
  const dealId = (created.data as { id: string }).id

  await signIn(page, eve.email, eve.password)
  await page.goto(`/org/${tenant.slug}/deals/${dealId}`)
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Change visibility' })).toHaveCount(0)
  await expect(
    page.getByText(
      'Only the owner, or someone whose role is above the owner’s, changes who can see it.',
    ),
  ).toBeVisible()
  await expect(page.getByText('Delete this deal…')).toHaveCount(0)
  await page.getByLabel('Amount (USD)').fill('900')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible()

  const response = await page.request.post(`/org/${tenant.slug}/deals/${dealId}`, {
    form: { intent: 'change-visibility', visibility: 'private' },
    headers: { accept: 'text/html' },
  })
  expect(response.status()).toBe(403)
  expect(await response.text()).toMatch(
    /Only the owner or someone above the owner(&#x27;|')s role can change the visibility/,
  )
  const deleted = await page.request.post(`/org/${tenant.slug}/deals/${dealId}`, {
    form: { intent: 'delete-deal' },
    headers: { accept: 'text/html' },
  })
  expect(deleted.status()).toBe(403)
  expect(await deleted.text()).toContain('You cannot delete this deal')
})
