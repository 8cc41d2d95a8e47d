import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { expectAccessible } from '#src/fixtures/axe.ts'
import { signIn } from '#src/fixtures/session.ts'
import { snapshot } from '#src/fixtures/snapshots.ts'
import { expect, test } from '#src/fixtures/test.ts'

const LIMITS =
  'PDF, PNG, JPEG, WebP, plain text, CSV, Word (.docx) and Excel (.xlsx), up to 20 MB each.'

/** Clicks a file's download link and returns the bytes the browser saved. */
async function download(page: Page, name: string): Promise<Buffer> {
  const saved = page.waitForEvent('download')
  await page.getByRole('link', { name: `Download ${name}` }).click()
  const file = await saved
  expect(file.suggestedFilename()).toBe(name)
  return readFile((await file.path()) as string)
}

/** Drops files on the upload area, as a person dragging them from their desktop would. */
async function dropFiles(page: Page, files: Array<{ name: string; type: string; text: string }>) {
  const dataTransfer = await page.evaluateHandle((list) => {
    // Runs in the page (the specs compile without the DOM library).
    const page = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } }
      File: new (parts: string[], name: string, options: { type: string }) => unknown
    }
    const transfer = new page.DataTransfer()
    for (const f of list) transfer.items.add(new page.File([f.text], f.name, { type: f.type }))
    return transfer
  }, files)
  await page.getByText('Drag files here, or choose them.').dispatchEvent('drop', { dataTransfer })
}

test('files upload and download only where the deal allows it, and the bytes come back unchanged', async ({
  page,
  newPage,
  tenants,
  failures,
}) => {
  failures.allow(404, /\/deals\//)
  const tenant = await tenants.create({ name: 'Filed Inc' })
  const rep = await tenant.createRole('Rep', { permissions: ['deals.create'] })
  const junior = await tenant.createRole('Junior', { parentRoleId: rep })
  const reader = await tenant.createRole('Reader', { permissions: ['deals.read'] })
  const rita = await tenant.addMember(rep, { firstName: 'Rita' })
  const rhea = await tenant.addMember(reader, { firstName: 'Rhea' })
  const jo = await tenant.addMember(junior, { firstName: 'Jo' })
  const created = await rita.client.rpc('create_deal', {
    p_org_id: tenant.id,
    p_title: 'Signed contract',
    p_visibility: 'public',
  })
  const dealId = (created.data as { id: string }).id
  const dealUrl = `/org/${tenant.slug}/deals/${dealId}`
  const notes = randomBytes(300_000).toString('base64')
  const csv = 'quarter,amount\nQ1,1000\nQ2,2500\n'

  // Rita may change the deal: the limits are stated before anything is sent.
  await signIn(page, rita.email, rita.password)
  await page.goto(dealUrl)
  await expect(page.getByText(LIMITS)).toBeVisible()
  await expect(page.getByText('No files yet')).toBeVisible()

  // Chosen with the file picker: uploaded at once, with a progress bar.
  await page.getByLabel('Choose files').setInputFiles({
    name: 'Meeting notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(notes),
  })
  const uploads = page.getByRole('list', { name: 'Uploads' })
  await expect(
    uploads.getByRole('progressbar', { name: 'Uploading Meeting_notes.txt' }),
  ).toHaveAttribute('aria-valuenow', '100')
  await expect(uploads).toContainText('Uploaded')
  await expect(page.getByRole('link', { name: 'Download Meeting_notes.txt' })).toBeVisible()

  // Dropped on the upload area.
  await dropFiles(page, [{ name: 'figures.csv', type: 'text/csv', text: csv }])
  await expect(page.getByRole('link', { name: 'Download figures.csv' })).toBeVisible()

  // Refused before upload, with the reason: a type the bucket does not take, a file too large.
  await page.getByLabel('Choose files').setInputFiles([
    { name: 'tool.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') },
    {
      name: 'scan.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.alloc(21 * 1024 * 1024, 1),
    },
  ])
  await expect(
    uploads.getByText(
      'tool.exe is not an accepted type of file (PDF, PNG, JPEG, WebP, plain text, CSV, Word (.docx) and Excel (.xlsx)).',
    ),
  ).toBeVisible()
  await expect(uploads.getByText('scan.pdf is 21 MB; files may be at most 20 MB.')).toBeVisible()
  await expect(page.getByRole('list', { name: 'Attachments' }).getByRole('listitem')).toHaveCount(2)
  await expectAccessible(page)
  await snapshot(page, 'deal-attachments')

  // The bytes Rita downloads are the bytes she uploaded.
  expect((await download(page, 'Meeting_notes.txt')).toString()).toBe(notes)

  // Rhea holds deals.read: she lists and downloads, and is offered nothing to change.
  const rheaPage = await newPage()
  await signIn(rheaPage, rhea.email, rhea.password)
  await rheaPage.goto(dealUrl)
  await expect(rheaPage.getByRole('link', { name: 'Download figures.csv' })).toBeVisible()
  await expect(rheaPage.getByLabel('Choose files')).toHaveCount(0)
  await expect(rheaPage.getByText(/^Remove/)).toHaveCount(0)
  await expect(
    rheaPage.getByText('Only people who can edit this deal add or remove its files.'),
  ).toBeVisible()
  expect((await download(rheaPage, 'figures.csv')).toString()).toBe(csv)
  expect((await download(rheaPage, 'Meeting_notes.txt')).toString()).toBe(notes)
  await expectAccessible(rheaPage)
  await snapshot(rheaPage, 'deal-attachments-reader')

  // Asking anyway: the storage policy (the access engine) refuses her the upload URL.
  const signed = await rheaPage.request.post(`${dealUrl}/files`, {
    multipart: { name: 'sneaky.txt', size: '3', type: 'text/plain' },
  })
  expect(signed.status()).toBe(403)
  expect(await signed.json()).toEqual({
    message: 'You are not allowed to change the files of this record.',
  })

  // Jo sees neither the deal nor its files, through the app or the API.
  const joPage = await newPage()
  await signIn(joPage, jo.email, jo.password)
  expect((await joPage.goto(dealUrl))?.status()).toBe(404)
  const path = `${tenant.id}/${dealId}/figures.csv`
  const direct = await jo.client.storage.from('deals').download(path)
  expect(direct.data).toBeNull()
  const listed = await jo.client.storage.from('deals').list(`${tenant.id}/${dealId}`)
  expect(listed.data).toEqual([])
  const planted = await jo.client.storage
    .from('deals')
    .upload(`${tenant.id}/${dealId}/planted.txt`, 'x', { contentType: 'text/plain' })
  expect(planted.error?.message).toBe('new row violates row-level security policy')

  // Rita removes a file; Rhea's next page load no longer lists it.
  await page.goto(dealUrl)
  await page.getByText('Remove Meeting_notes.txt').click()
  await page.getByRole('button', { name: 'Remove file' }).click()
  await expect(
    page.getByRole('status').filter({ hasText: 'Meeting_notes.txt was removed.' }),
  ).toBeVisible()
  await rheaPage.reload()
  await expect(rheaPage.getByRole('link', { name: 'Download figures.csv' })).toBeVisible()
  await expect(rheaPage.getByRole('link', { name: 'Download Meeting_notes.txt' })).toHaveCount(0)
})

test('without JavaScript the upload form still works, and a taken name is refused with a sentence', async ({
  page,
  newPage,
  tenants,
  failures,
}) => {
  failures.allow(409, /\/files$/)
  const tenant = await tenants.create()
  const created = await tenant.owner.client.rpc('create_deal', {
    p_org_id: tenant.id,
    p_title: 'Renewal',
    p_visibility: 'private',
  })
  const dealUrl = `/org/${tenant.slug}/deals/${(created.data as { id: string }).id}`

  // Without JavaScript: choose, then press Upload; the server stores the file as the user.
  const plain = await newPage({ javaScriptEnabled: false })
  await signIn(plain, tenant.owner.email, tenant.owner.password)
  await plain.goto(dealUrl)
  await expect(plain.getByText('Choose files, then upload them.')).toBeVisible()
  await plain.getByLabel('Choose files').setInputFiles({
    name: 'report.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4 first'),
  })
  await plain.getByRole('button', { name: 'Upload' }).click()
  await expect(plain.getByText('Uploaded report.pdf.')).toBeVisible()
  await expect(plain.getByRole('link', { name: 'Download report.pdf' })).toBeVisible()
  await snapshot(plain, 'deal-attachments-without-javascript')

  // With JavaScript, the same name again is refused, and the stored file is untouched.
  await signIn(page, tenant.owner.email, tenant.owner.password)
  await page.goto(dealUrl)
  await page.getByLabel('Choose files').setInputFiles({
    name: 'report.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4 second'),
  })
  await expect(
    page
      .getByRole('list', { name: 'Uploads' })
      .getByText('A file with this name is already attached.'),
  ).toBeVisible()
  expect((await download(page, 'report.pdf')).toString()).toBe('%PDF-1.4 first')
})

test("a file chosen before the page's script has run is uploaded once it has", async ({
  page,
  tenants,
}) => {
  const tenant = await tenants.create()
  const created = await tenant.owner.client.rpc('create_deal', {
    p_org_id: tenant.id,
    p_title: 'Renewal',
  })
  const dealUrl = `/org/${tenant.slug}/deals/${(created.data as { id: string }).id}`
  await signIn(page, tenant.owner.email, tenant.owner.password)

  // The page's scripts are held back, as on a slow connection, until the file is chosen.
  let releaseScripts = () => {}
  const scriptsHeld = new Promise<void>((resolve) => {
    releaseScripts = resolve
  })
  await page.route(/\/assets\/[^?]+\.js(\?.*)?$/, async (route) => {
    await scriptsHeld
    await route.continue()
  })
  await page.goto(dealUrl, { waitUntil: 'commit' })
  await expect(page.getByText('Choose files, then upload them.')).toBeVisible()
  await page.getByLabel('Choose files').setInputFiles({
    name: 'early.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4 early'),
  })
  releaseScripts()

  // Once the script runs, the Upload button is gone, so the chosen file goes without it.
  await expect(page.getByText('Drag files here, or choose them.')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Upload' })).toHaveCount(0)
  await expect(page.getByRole('list', { name: 'Uploads' })).toContainText('Uploaded')
  await expect(page.getByRole('link', { name: 'Download early.pdf' })).toBeVisible()
  await snapshot(page, 'deal-attachments-chosen-before-script')
  expect((await download(page, 'early.pdf')).toString()).toBe('%PDF-1.4 early')
})

test('ticking "replace" overwrites a file of the same name', async ({ page, tenants }) => {
  const tenant = await tenants.create()
  const created = await tenant.owner.client.rpc('create_deal', {
    p_org_id: tenant.id,
    p_title: 'Renewal',
  })
  const dealId = (created.data as { id: string }).id
  await tenant.owner.client.storage
    .from('deals')
    .upload(`${tenant.id}/${dealId}/report.pdf`, '%PDF-1.4 first', {
      contentType: 'application/pdf',
    })
  await signIn(page, tenant.owner.email, tenant.owner.password)
  await page.goto(`/org/${tenant.slug}/deals/${dealId}`)
  await page.getByLabel('Replace files with the same name').check()
  await page.getByLabel('Choose files').setInputFiles({
    name: 'report.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4 second'),
  })
  await expect(page.getByRole('list', { name: 'Uploads' })).toContainText('Uploaded')
  expect((await download(page, 'report.pdf')).toString()).toBe('%PDF-1.4 second')
})
