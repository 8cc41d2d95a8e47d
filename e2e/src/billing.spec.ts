import { expectAccessible } from '#src/fixtures/axe.ts'
import { waitForEmail } from '#src/fixtures/mail.ts'
import { signIn, signOut } from '#src/fixtures/session.ts'
import { snapshot } from '#src/fixtures/snapshots.ts'
import {
  deliverStripeEvent,
  stripeEvent,
  stripeState,
  subscriptionEvent,
} from '#src/fixtures/stripe.ts'
import { expect, test } from '#src/fixtures/test.ts'
import { unique } from '#src/fixtures/unique.ts'
import { stackStatus } from '#src/stack-status.ts'

test('checkout on Stripe, then a signed webhook upgrades the plan; a bad signature and a replay change nothing; seats follow a removal and a join', async ({
  page,
  tenants,
}) => {
  const tenant = await tenants.create({ name: 'Billed Co', ownerName: 'Olive' })
  const memberRole = await tenant.createRole('Member')
  await tenant.addMember(memberRole, { firstName: 'Max' })
  const currentPlan = page.locator('section', {
    has: page.getByRole('heading', { name: 'Current plan' }),
  })
  const seats = page.locator('section', { has: page.getByRole('heading', { name: 'Seats' }) })

  await signIn(page, tenant.owner.email, tenant.owner.password)
  await page.goto(`/org/${tenant.slug}/billing`)
  await expect(page.getByRole('heading', { level: 1, name: 'Billing' })).toBeVisible()
  await expect(currentPlan).toContainText('Free')
  await expect(seats.getByRole('definition').first()).toHaveText('2')
  await expectAccessible(page)
  await snapshot(page, 'billing-free')

  // Checkout: the app creates a session through the Stripe SDK and sends the browser there.
  await page.getByRole('button', { name: 'Upgrade to Pro' }).click()
  await expect(page).toHaveTitle('Test checkout')
  const session = (await stripeState()).sessions.at(-1)
  expect(session).toMatchObject({
    priceId: 'price_pro_monthly',
    quantity: 2,
    metadata: { organization_id: tenant.id },
    customerEmail: tenant.owner.email,
  })
  await page.getByRole('button', { name: 'Pay' }).click()
  await expect(page).toHaveURL(`/org/${tenant.slug}/billing?checkout=success`)
  await expect(page.getByRole('status').filter({ hasText: 'Thank you' })).toBeVisible()
  // Nothing changes until Stripe's webhook arrives.
  await expect(currentPlan).toContainText('Free')

  const subscription = (await stripeState()).subscriptions.find(
    (s) => s.metadata.organization_id === tenant.id,
  )
  if (!subscription) throw new Error('The fake Stripe has no subscription for the tenant')

  // Stripe's events, signed with its real scheme and the app's webhook secret.
  const completed = stripeEvent('checkout.session.completed', {
    id: session?.id,
    object: 'checkout.session',
    customer: subscription.customer,
    subscription: subscription.id,
    client_reference_id: tenant.id,
    metadata: { organization_id: tenant.id },
    customer_details: { email: tenant.owner.email },
  })
  expect(await deliverStripeEvent(completed)).toEqual({
    status: 200,
    body: { received: true, outcome: 'ignored' },
  })
  const created = subscriptionEvent('customer.subscription.created', subscription)
  expect(await deliverStripeEvent(created)).toEqual({
    status: 200,
    body: { received: true, outcome: 'applied' },
  })

  // A forged event (wrong secret) is refused and changes nothing.
  const forged = subscriptionEvent('customer.subscription.updated', subscription, {
    quantity: 40,
    status: 'active',
  })
  const refused = await deliverStripeEvent(forged, { secret: 'whsec_not_the_apps' })
  expect(refused.status).toBe(400)
  expect(refused.body).toMatchObject({ received: false })
  expect(refused.body.error).toMatch(/^Invalid Stripe signature/)

  // A replay of an event already applied is a no-op.
  expect(await deliverStripeEvent(created)).toEqual({
    status: 200,
    body: { received: true, outcome: 'duplicate' },
  })

  await page.goto(`/org/${tenant.slug}/billing`)
  await expect(currentPlan).toContainText('Pro')
  await expect(currentPlan).toContainText('Active')
  await expect(currentPlan).toContainText('Up to 50 members')
  await expect(seats.getByRole('definition').nth(1)).toHaveText('2')
  await expect(page.getByRole('button', { name: /^Upgrade to/ })).toHaveCount(0)
  await expectAccessible(page)
  await snapshot(page, 'billing-pro')

  // The customer portal, through the SDK, for the customer the webhook recorded.
  await page.getByRole('button', { name: 'Manage billing' }).click()
  await expect(page).toHaveTitle('Test billing portal')
  expect((await stripeState()).requests.at(-1)).toMatchObject({
    path: '/v1/billing_portal/sessions',
    body: {
      customer: subscription.customer,
      return_url: `${stackStatus().app_url}/org/${tenant.slug}/billing`,
    },
  })
  await page.getByRole('link', { name: 'Return to the app' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Billing' })).toBeVisible()

  // Removing a member brings the subscription's seats down to the member count.
  await page.goto(`/org/${tenant.slug}/members`)
  await page.getByLabel('Remove Max').click()
  await page.getByRole('button', { name: 'Remove Max' }).click()
  await expect(page.getByRole('status')).toHaveText('Member removed.')
  const seatUpdates = (await stripeState()).requests.filter(
    (r) => r.method === 'POST' && r.path === `/v1/subscriptions/${subscription.id}`,
  )
  expect(seatUpdates.map((r) => r.body)).toEqual([
    {
      'items[0][id]': subscription.items.data[0]?.id,
      'items[0][quantity]': '1',
      proration_behavior: 'create_prorations',
    },
  ])

  // Sending an invitation takes no seat; the person joining from it does.
  const email = `joiner-${unique()}@e2e.test`
  tenants.forgetLater(email)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Member' })
  await page.getByRole('button', { name: 'Send invitation' }).click()
  await expect(page.getByRole('status')).toHaveText(`Invitation sent to ${email}.`)
  const seatQuantities = async () =>
    (await stripeState()).requests
      .filter((r) => r.method === 'POST' && r.path === `/v1/subscriptions/${subscription.id}`)
      .map((r) => r.body['items[0][quantity]'])
  expect(await seatQuantities()).toEqual(['1'])
  const link = (await waitForEmail(email, /invited you to join Billed Co/)).links.find((l) =>
    l.includes('/invite/'),
  )
  await signOut(page)
  await page.goto(link as string)
  await page.getByLabel('First name').fill('Jo')
  await page.getByLabel('Last name').fill('Iner')
  await page.getByLabel('Password').fill('a long password')
  await page.getByRole('button', { name: 'Create account and join' }).click()
  await expect(page).toHaveURL(`/org/${tenant.slug}/dashboard`)
  expect(await seatQuantities()).toEqual(['1', '2'])
})

test('the webhook routes answer only signed POSTs of the configured provider', async () => {
  const { app_url } = stackStatus()
  const unsigned = await fetch(`${app_url}/api/webhooks/stripe`, {
    method: 'POST',
    body: stripeEvent('customer.subscription.updated', {}),
  })
  expect(unsigned.status).toBe(400)
  expect(await unsigned.json()).toEqual({
    received: false,
    error: 'Missing Stripe-Signature header',
  })
  const other = await fetch(`${app_url}/api/webhooks/lemon-squeezy`, { method: 'POST', body: '{}' })
  expect(other.status).toBe(404)
  expect(await other.json()).toEqual({
    received: false,
    error: 'Lemon Squeezy is not the billing provider here',
  })
  const get = await fetch(`${app_url}/api/webhooks/stripe`)
  expect(get.status).toBe(405)
  // An event the sync does not use is acknowledged.
  expect(await deliverStripeEvent(stripeEvent('invoice.finalized', { id: 'in_1' }))).toEqual({
    status: 200,
    body: { received: true, outcome: 'ignored' },
  })
})

test('the public pricing page lists the plans on offer', async ({ page }) => {
  await page.goto('/pricing')
  await expect(page.getByRole('heading', { level: 1, name: 'Pricing' })).toBeVisible()
  for (const plan of ['Free', 'Starter', 'Pro']) {
    await expect(page.getByRole('heading', { level: 2, name: plan })).toBeVisible()
  }
  await expect(page.getByText('$29')).toBeVisible()
  await expect(page.getByRole('link', { name: 'Sign in to upgrade (Pro)' })).toBeVisible()
  await expectAccessible(page)
  await snapshot(page, 'pricing')
})

test("a plan's member limit stops an invitation with a sentence, keeps what was typed, and a cancelled invitation frees the seat", async ({
  page,
  tenants,
  failures,
}) => {
  failures.allow(400, /\/members/)
  const tenant = await tenants.create({ name: 'Small Team' })
  const memberRole = await tenant.createRole('Member')
  const pending = await tenant.invite(memberRole)
  const { error } = await tenants.service.rpc('platform_set_subscription_override', {
    p_org_id: tenant.id,
    p_plan: 'team',
    p_features: { members: 2 },
  })
  expect(error).toBeNull()
  const email = `over-${unique()}@e2e.test`

  await signIn(page, tenant.owner.email, tenant.owner.password)
  await page.goto(`/org/${tenant.slug}/members`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Member' })
  await page.getByRole('button', { name: 'Send invitation' }).click()
  await expect(page.getByRole('alert')).toHaveText(
    'The Team plan allows 2 members and no seat is left (members: 1, pending invitations: 1). Upgrade the plan, remove a member or cancel an invitation to invite someone else',
  )
  await expect(page.getByLabel('Email')).toHaveValue(email)
  await expect(page.getByRole('row', { name: new RegExp(email) })).toHaveCount(0)
  await snapshot(page, 'members-limit')

  await page.getByLabel(`Cancel the invitation to ${pending.email}`).click()
  await page.getByRole('button', { name: 'Cancel invitation' }).click()
  await expect(page.getByRole('row', { name: new RegExp(pending.email) })).toHaveCount(0)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Member' })
  await page.getByRole('button', { name: 'Send invitation' }).click()
  await expect(page.getByRole('status')).toHaveText(`Invitation sent to ${email}.`)
  await expect(page.getByRole('row', { name: new RegExp(email) })).toContainText('Member')
})
