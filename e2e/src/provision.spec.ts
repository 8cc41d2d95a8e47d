import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { repoRoot } from '@tenantbase/local-supabase/repo-root'
import { expectAccessible } from '#src/fixtures/axe.ts'
import { waitForEmail } from '#src/fixtures/mail.ts'
import { snapshot } from '#src/fixtures/snapshots.ts'
import { expect, test } from '#src/fixtures/test.ts'
import { unique } from '#src/fixtures/unique.ts'
import { stackStatus } from '#src/stack-status.ts'

const run = promisify(execFile)

/** `pnpm provision …`, i.e. the script it runs, against the e2e stack and app. */
async function provision(args: string[]) {
  const status = stackStatus()
  return run(process.execPath, [path.join(repoRoot(), 'apps/web/scripts/provision.ts'), ...args], {
    env: {
      ...process.env,
      SUPABASE_URL: status.api_url,
      SUPABASE_ANON_KEY: status.anon_key,
      SUPABASE_SERVICE_ROLE_KEY: status.service_role_key,
      APP_URL: status.app_url,
      SMTP_URL: `smtp://127.0.0.1:${status.smtp_port}`,
      MAIL_FROM: 'Tenantbase <no-reply@tenantbase.test>',
    },
  })
}

test('pnpm provision creates a tenant and its admin joins from the invitation in the mail catcher', async ({
  page,
  tenants,
  failures,
}) => {
  // The mail catcher's own pages have no favicon.
  failures.allow(404, new RegExp(`^${stackStatus().mail_url}/favicon`))
  const id = unique()
  const admin = `admin-${id}@e2e.test`
  tenants.forgetLater(admin)
  const { stdout } = await provision([
    '--name',
    'Journey Co',
    '--slug',
    `journey-${id}`,
    '--admin',
    admin,
    '--role-name',
    'Founder',
  ])
  const printed = /(http\S+\/invite\/[A-Za-z0-9_-]{43})/.exec(stdout)?.[1]
  expect(stdout).toContain(`Provisioned "Journey Co" (journey-${id})`)
  expect(printed).toBeDefined()

  await waitForEmail(admin, /Journey Co/)
  await page.goto(stackStatus().mail_url)
  await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible()
  await page
    .getByRole('row', { name: new RegExp(admin) })
    .getByRole('link', { name: 'You have been invited to join Journey Co on Tenantbase' })
    .click()
  await page.getByRole('link', { name: printed }).click()

  await expect(page.getByRole('heading', { name: 'Join Journey Co' })).toBeVisible()
  await expect(page.getByText('Founder', { exact: true })).toBeVisible()
  await expect(page.getByText('The Tenantbase team')).toBeVisible()
  await page.getByLabel('First name').fill('Jo')
  await page.getByLabel('Password').fill('journey password')
  await page.getByRole('button', { name: 'Create account and join' }).click()
  await expect(page).toHaveURL(`/org/journey-${id}/dashboard`)
  await expect(page.getByRole('heading', { level: 1, name: 'Journey Co' })).toBeVisible()
  await expect(page.getByText('Founder', { exact: true }).first()).toBeVisible()
  await expectAccessible(page)
  await snapshot(page, 'dashboard-new-owner')

  // Owners act right away: the new organization's owner invites a member.
  await page
    .getByRole('navigation', { name: 'Organization' })
    .getByRole('link', { name: 'Members' })
    .click()
  await expect(page.getByText('There is no role below yours to invite people to.')).toBeVisible()
})

test('pnpm provision refuses a taken slug and bad input with a sentence', async () => {
  const id = unique()
  await provision(['--name', 'Once', '--slug', `once-${id}`, '--admin', `a-${id}@e2e.test`])
  await expect(
    provision(['--name', 'Twice', '--slug', `once-${id}`, '--admin', `b-${id}@e2e.test`]),
  ).rejects.toMatchObject({
    code: 1,
    stderr: `Provisioning failed: An organization with the slug "once-${id}" already exists\n`,
  })
  await expect(provision(['--name', 'No admin', '--slug', `x-${id}`])).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringContaining('Missing --admin.'),
  })
  await expect(
    provision(['--name', 'Bad', '--slug', 'Not A Slug!', '--admin', `c-${id}@e2e.test`]),
  ).rejects.toMatchObject({
    code: 1,
    stderr: 'Provisioning failed: Invalid slug: use lower-case letters, digits and dashes\n',
  })
})
