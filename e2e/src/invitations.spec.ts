import { expectAccessible } from '#src/fixtures/axe.ts'
import { asDatabaseOwner } from '#src/fixtures/database.ts'
import { waitForEmail } from '#src/fixtures/mail.ts'
import { sessionClaims, signIn, signOut } from '#src/fixtures/session.ts'
import { snapshot } from '#src/fixtures/snapshots.ts'
import { expect, test } from '#src/fixtures/test.ts'
import { unique } from '#src/fixtures/unique.ts'

test('an admin invites a new person, who signs up from the email and lands in the organization', async ({
  page,
  tenants,
  failures,
}) => {
  failures.allow(410, /\/invite\//)
  const tenant = await tenants.create({ name: 'Hooli', ownerName: 'Gavin' })
  await tenant.createRole('Analyst', { permissions: ['deals.read'] })
  const email = `new-${unique()}@e2e.test`
  tenants.forgetLater(email)

  await signIn(page, tenant.owner.email, tenant.owner.password)
  await page.getByRole('link', { name: 'Members', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Members' })).toBeVisible()
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Analyst' })
  await page.getByRole('button', { name: 'Send invitation' }).click()
  await expect(page.getByRole('status')).toHaveText(`Invitation sent to ${email}.`)
  const pendingRow = page.getByRole('row', { name: new RegExp(email) })
  await expect(pendingRow).toContainText('Analyst')
  await expect(pendingRow).toContainText('Gavin')
  await expectAccessible(page)
  await snapshot(page, 'members-owner')

  const message = await waitForEmail(email, /invited you to join Hooli/)
  expect(message.Subject).toBe('Gavin invited you to join Hooli on Tenantbase')
  expect(message.Text).toContain('as Analyst')
  expect(message.Text).toMatch(/expires on \w+ \d+, \d{4}/)
  const link = message.links.find((l) => l.includes('/invite/'))
  expect(link).toMatch(new RegExp(`^${page.url().split('/org/')[0]}/invite/[A-Za-z0-9_-]{43}$`))

  await signOut(page)
  await page.goto(link as string)
  await expect(page.getByRole('heading', { name: 'Join Hooli' })).toBeVisible()
  await expect(page.getByText('Analyst', { exact: true })).toBeVisible()
  await expect(page.getByText('Gavin', { exact: true })).toBeVisible()
  await expect(page.getByLabel('Email')).toHaveValue(email)
  await expectAccessible(page)
  await snapshot(page, 'invite-new-person')

  await page.getByLabel('First name').fill('Nina')
  await page.getByLabel('Last name').fill('Novak')
  await page.getByLabel('Password').fill('a long password')
  await page.getByRole('button', { name: 'Create account and join' }).click()
  await expect(page).toHaveURL(`/org/${tenant.slug}/dashboard`)
  await expect(page.getByRole('heading', { level: 1, name: 'Hooli' })).toBeVisible()
  await expect(page.getByText('Analyst', { exact: true }).first()).toBeVisible()
  expect((await sessionClaims(page)).tenant_id).toBe(tenant.id)

  await page.getByRole('link', { name: 'Members', exact: true }).click()
  await expect(page.getByRole('row', { name: /Nina Novak/ })).toContainText('Analyst')

  // The link works once.
  await page.goto(link as string)
  await expect(
    page.getByRole('heading', { name: 'This invitation has already been used' }),
  ).toBeVisible()
})

test('expired, cancelled, used, wrong-account and tampered invitation links each say what happened', async ({
  page,
  tenants,
  failures,
}) => {
  failures.allow(410, /\/invite\//)
  failures.allow(404, /\/invite\//)
  const tenant = await tenants.create({ name: 'Pied Piper', ownerName: 'Richard' })
  const coder = await tenant.createRole('Coder')

  const cancelled = await tenant.invite(coder)
  expect(
    (await tenant.owner.client.rpc('cancel_invitation', { p_invitation_id: cancelled.id })).error,
  ).toBeNull()
  await page.goto(`/invite/${cancelled.token}`)
  await expect(page.getByRole('heading', { name: 'This invitation was cancelled' })).toBeVisible()
  await expect(page.getByText('Pied Piper cancelled this invitation')).toBeVisible()
  await expectAccessible(page)

  const expired = await tenant.invite(coder)
  await asDatabaseOwner(
    `update core.invitations set expires_at = now() - interval '1 day' where id = $1`,
    [expired.id],
  )
  await page.goto(`/invite/${expired.token}`)
  await expect(page.getByRole('heading', { name: 'This invitation has expired' })).toBeVisible()
  await expect(page.getByText('Ask Richard to send you a new one.')).toBeVisible()
  await snapshot(page, 'invite-expired')

  const used = await tenant.invite(coder)
  await tenants.acceptAsNewPerson(used.email, used.token)
  await page.goto(`/invite/${used.token}`)
  await expect(
    page.getByRole('heading', { name: 'This invitation has already been used' }),
  ).toBeVisible()

  const tampered = await tenant.invite(coder)
  const flipped = `${tampered.token.slice(0, -1)}${tampered.token.endsWith('A') ? 'B' : 'A'}`
  await page.goto(`/invite/${flipped}`)
  await expect(
    page.getByRole('heading', { name: 'This invitation link is not valid' }),
  ).toBeVisible()
  await expectAccessible(page)
  await snapshot(page, 'invite-invalid')
  await page.goto('/invite/not-a-token')
  await expect(
    page.getByRole('heading', { name: 'This invitation link is not valid' }),
  ).toBeVisible()

  // Signed in as someone else: the page says whose invitation it is and offers to switch.
  await signIn(page, tenant.owner.email, tenant.owner.password)
  await page.goto(`/invite/${tampered.token}`)
  await expect(page.getByText('This invitation is for someone else')).toBeVisible()
  await expect(page.getByText(`It was sent to ${tampered.email}`)).toBeVisible()
  await expectAccessible(page)
  await snapshot(page, 'invite-wrong-account')
  await page.getByRole('button', { name: 'Sign out and continue' }).click()
  await expect(page).toHaveURL(`/invite/${tampered.token}`)
  await expect(page.getByRole('button', { name: 'Create account and join' })).toBeVisible()
})

test('someone with an account accepts an invitation to a second organization', async ({
  page,
  tenants,
}) => {
  const home = await tenants.create({ name: 'Home Org' })
  const other = await tenants.create({ name: 'Other Org', ownerName: 'Oscar' })
  const guest = await other.createRole('Guest')
  const invitation = await other.invite(guest, home.owner.email)

  await page.goto(`/invite/${invitation.token}`)
  await expect(page.getByRole('heading', { name: 'Join Other Org' })).toBeVisible()
  await page.getByRole('link', { name: 'Sign in to accept' }).click()
  await page.getByLabel('Email').fill(home.owner.email)
  await page.getByLabel('Password').fill(home.owner.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page).toHaveURL(`/invite/${invitation.token}`)
  await expectAccessible(page)
  await snapshot(page, 'invite-accept')
  await page.getByRole('button', { name: 'Accept and join Other Org' }).click()

  await expect(page).toHaveURL(`/org/${other.slug}/dashboard`)
  await expect(page.getByRole('heading', { level: 1, name: 'Other Org' })).toBeVisible()
  expect((await sessionClaims(page)).tenant_id).toBe(other.id)
})

test('signing up without an invitation ends on a clear message', async ({ page, failures }) => {
  failures.allow(400, /\/sign-up/)
  await page.goto('/sign-in')
  await page.getByRole('link', { name: 'Join with an invitation' }).click()
  await expect(page.getByRole('heading', { name: 'Join an organization' })).toBeVisible()
  await expect(page.getByRole('status')).toContainText('Tenantbase is invite-only')
  await expectAccessible(page)
  await snapshot(page, 'sign-up')

  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByLabel('Invitation link')).toHaveAttribute('aria-invalid', 'true')
  await expect(
    page.getByText('Open the invitation link from your email, or ask an admin'),
  ).toBeVisible()

  await page.getByLabel('Invitation link').fill('https://example.com/hello')
  await page.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByText('This is not an invitation link.')).toBeVisible()
})

test('resending an invitation emails a new link and the old one stops working', async ({
  page,
  tenants,
  failures,
}) => {
  failures.allow(404, /\/invite\//)
  const tenant = await tenants.create({ name: 'Aviato' })
  await tenant.createRole('Intern')
  const email = `resend-${unique()}@e2e.test`
  await signIn(page, tenant.owner.email, tenant.owner.password)
  await page.goto(`/org/${tenant.slug}/members`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Intern' })
  await page.getByRole('button', { name: 'Send invitation' }).click()
  const first = await waitForEmail(email, /Aviato/)

  await page.getByRole('button', { name: `Resend the invitation to ${email}` }).click()
  await expect(page.getByRole('status')).toHaveText(
    `A new invitation was sent to ${email}; the previous link no longer works.`,
  )
  const second = await waitForEmail(email, /Aviato/, { notId: [first.ID] })
  const oldLink = first.links.find((l) => l.includes('/invite/')) as string
  const newLink = second.links.find((l) => l.includes('/invite/')) as string
  expect(newLink).not.toBe(oldLink)

  await page.goto(oldLink)
  await expect(
    page.getByRole('heading', { name: 'This invitation link is not valid' }),
  ).toBeVisible()
  await page.goto(newLink)
  await expect(page.getByText('This invitation is for someone else')).toBeVisible()

  // Cancelling from the list.
  await page.goto(`/org/${tenant.slug}/members`)
  await page.getByLabel(`Cancel the invitation to ${email}`).click()
  await page.getByRole('button', { name: 'Cancel invitation' }).click()
  await expect(page.getByRole('status')).toHaveText('Invitation cancelled.')
  await expect(page.getByRole('row', { name: new RegExp(email) })).toHaveCount(0)
})
