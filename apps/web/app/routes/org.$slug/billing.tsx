import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { z } from 'zod'
import { FormMessage } from '#app/components/form-message.tsx'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { FeatureList } from '#app/components/plan-features.tsx'
import { Alert } from '#app/components/ui/alert.tsx'
import { Badge } from '#app/components/ui/badge.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Card, CardBody, CardHeader } from '#app/components/ui/card.tsx'
import { cn } from '#app/components/ui/cn.ts'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { billing, describeBillingError, providerLabel } from '#app/lib/billing.server.ts'
import { env } from '#app/lib/env.server.ts'
import { formRefusal, loaderRefusal } from '#app/lib/errors.server.ts'
import { formatDate } from '#app/lib/format.ts'
import { parseForm } from '#app/lib/forms.server.ts'
import type { FormFailure } from '#app/lib/forms.ts'
import { redirectTo, respond } from '#app/lib/http.server.ts'
import { type OrgContext, requireOrgMember } from '#app/lib/org.server.ts'
import { describeFeatures, formatAmount, memberLimit, priceUnit, statusOf } from '#app/lib/plans.ts'
import { usePending } from '#app/lib/use-pending.ts'

export const ErrorBoundary = OrgErrorBoundary

export const meta: MetaFunction = () => [{ title: 'Billing · Tenantbase' }]

const LIVE = new Set(['trialing', 'active', 'past_due'])

/** The billing account (billing.manage: the database refuses everyone else with 403). */
async function readAccount(context: OrgContext) {
  const [account] = await rpc(context.supabase, 'get_billing_account', {
    p_org_id: context.org.id,
  })
  return account
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const refusal = loaderRefusal(context)
  const account = await readAccount(context).catch(refusal)
  const [[plan], products] = await Promise.all([
    rpc(context.supabase, 'get_organization_plan', { p_org_id: context.org.id }).catch(refusal),
    rpc(context.supabase, 'list_subscription_products', {}).catch(refusal),
  ])
  const configured = billing()
  const provider = configured?.provider.name ?? null
  const hasSubscription = LIVE.has(account?.status ?? '')
  return respond(context, {
    org: { name: context.org.name },
    provider: provider ? providerLabel(provider) : null,
    plan: {
      code: plan?.plan ?? 'free',
      source: plan?.source ?? 'free',
      status: plan?.status ?? 'active',
      features: describeFeatures(plan?.features),
      memberLimit: memberLimit(plan?.features),
      periodEnd: plan?.current_period_end ?? null,
      cancelAtPeriodEnd: plan?.cancel_at_period_end ?? false,
      name:
        products.find((p) => p.plan === plan?.plan)?.name ??
        (plan?.plan === 'free' ? 'Free' : (plan?.plan ?? 'Free')),
    },
    seats: {
      used: account?.seat_count ?? 0,
      paid: hasSubscription ? (account?.quantity ?? null) : null,
    },
    hasSubscription,
    // The portal needs the provider's customer, which exists once a checkout completed.
    mayOpenPortal: !!provider && !!account?.provider_customer_id && account.provider === provider,
    offers: products
      .filter((p) => p.provider === provider)
      .map((p) => ({
        id: p.id ?? '',
        plan: p.plan ?? '',
        name: p.name ?? '',
        description: p.description,
        price: formatAmount(p.amount, p.currency ?? 'usd'),
        unit: priceUnit(p.billing_interval, p.seat_based),
        features: describeFeatures(p.features),
      })),
  })
}

const checkoutSchema = z.object({ intent: z.literal('checkout'), productId: z.guid() })

export async function action({ request, params }: ActionFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const formData = await request.formData()
  const intent = formData.get('intent')
  let account: Awaited<ReturnType<typeof readAccount>>
  try {
    account = await readAccount(context)
  } catch (error) {
    return formRefusal(context, error, { intent: String(intent) })
  }
  const configured = billing()
  if (!configured) {
    return respond(
      context,
      {
        ok: false,
        intent: String(intent),
        formError: 'Payments are not set up for this deployment.',
      } satisfies FormFailure,
      { status: 409 },
    )
  }
  const { provider } = configured
  const label = providerLabel(provider.name)
  const billingUrl = `${env().APP_URL}/org/${context.org.slug}/billing`
  try {
    if (intent === 'portal') {
      const portal = await provider.createPortalSession({
        organizationId: context.org.id,
        returnUrl: billingUrl,
      })
      return redirectTo(context, portal.url)
    }
    const form = parseForm(formData, checkoutSchema)
    if (!form.ok) return respond(context, form, { status: 400 })
    if (LIVE.has(account?.status ?? '')) {
      return respond(
        context,
        {
          ok: false,
          intent: 'checkout',
          formError: `${context.org.name} already has a subscription: change the plan in the ${label} billing portal.`,
        } satisfies FormFailure,
        { status: 409 },
      )
    }
    const products = await rpc(context.supabase, 'list_subscription_products', {})
    const product = products.find(
      (p) => p.id === form.data.productId && p.provider === provider.name,
    )
    if (!product?.provider_price_id) {
      return respond(
        context,
        {
          ok: false,
          intent: 'checkout',
          formError: 'That plan is not on offer any more. Reload the page to see the plans.',
        } satisfies FormFailure,
        { status: 400 },
      )
    }
    const checkout = await provider.createCheckout({
      organizationId: context.org.id,
      priceId: product.provider_price_id,
      quantity: Math.max(1, account?.seat_count ?? 1),
      customerEmail: context.email || undefined,
      successUrl: `${billingUrl}?checkout=success`,
      cancelUrl: `${billingUrl}?checkout=cancelled`,
    })
    return redirectTo(context, checkout.url)
  } catch (error) {
    const refusal = describeBillingError(error, label)
    return respond(
      context,
      { ok: false, intent: String(intent), formError: refusal.message } satisfies FormFailure,
      { status: refusal.status },
    )
  }
}

export default function Billing() {
  const data = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  const pending = usePending()
  const checkout = params.get('checkout')
  const { plan, seats } = data
  const status = statusOf(plan.status)
  return (
    <>
      <PageHeader
        title="Billing"
        description={`The plan of ${data.org.name}, its seats and payment details.`}
      />
      {checkout === 'success' ? (
        <Alert tone="success" title="Thank you" className="mb-6">
          Your payment went through. The new plan shows here as soon as {data.provider} confirms it,
          usually within seconds.
        </Alert>
      ) : checkout === 'cancelled' ? (
        <Alert tone="info" className="mb-6">
          Checkout was cancelled; nothing was charged.
        </Alert>
      ) : null}
      <FormMessage result={result} className="mb-6" />
      {data.provider ? null : (
        <Alert tone="info" title="Payments are not set up" className="mb-6">
          No payment provider is configured for this deployment, so plans cannot be bought here.{' '}
          {data.org.name} is on the {plan.name} plan
          {plan.source === 'override' ? ', granted by the platform operator' : ''}.
        </Alert>
      )}

      <div className="grid items-start gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader
            title="Current plan"
            description={
              plan.source === 'override'
                ? 'Granted by the platform operator.'
                : plan.source === 'subscription'
                  ? `Billed through ${data.provider ?? 'your payment provider'}.`
                  : 'Every organization starts on the free plan.'
            }
            actions={
              data.mayOpenPortal ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="portal" />
                  <Button variant="secondary" size="sm" pending={pending}>
                    Manage billing
                  </Button>
                </Form>
              ) : null
            }
          />
          <CardBody>
            <div className="flex flex-wrap items-center gap-3">
              <p className="text-2xl font-semibold tracking-tight text-zinc-900">{plan.name}</p>
              <Badge tone={status.tone}>{status.label}</Badge>
            </div>
            {plan.periodEnd ? (
              <p className="mt-1 text-sm text-zinc-500">
                {plan.cancelAtPeriodEnd ? 'Ends' : 'Renews'} on {formatDate(plan.periodEnd)}.
              </p>
            ) : null}
            <FeatureList features={plan.features} empty="No limits or extras on this plan." />
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="Seats" description="Members count as seats." />
          <CardBody>
            <dl className="space-y-3 text-sm">
              <SeatRow label="Members" value={String(seats.used)} />
              <SeatRow
                label="Seats paid"
                value={seats.paid === null ? '—' : String(seats.paid)}
                hint={seats.paid === null ? 'No subscription' : undefined}
              />
              <SeatRow
                label="Plan limit"
                value={plan.memberLimit === null ? 'No limit' : String(plan.memberLimit)}
              />
            </dl>
            {plan.memberLimit !== null ? (
              <div className="mt-4">
                <div
                  className="h-2 overflow-hidden rounded-full bg-zinc-100"
                  role="progressbar"
                  aria-label="Seats used of the plan's limit"
                  aria-valuemin={0}
                  aria-valuemax={plan.memberLimit}
                  aria-valuenow={seats.used}
                >
                  <div
                    className={cn(
                      'h-full rounded-full',
                      seats.used >= plan.memberLimit ? 'bg-amber-500' : 'bg-indigo-600',
                    )}
                    style={{
                      width: `${Math.min(100, (seats.used / Math.max(1, plan.memberLimit)) * 100)}%`,
                    }}
                  />
                </div>
                {seats.used >= plan.memberLimit ? (
                  <p className="mt-2 text-xs text-amber-800">
                    The plan is full: upgrade to invite more people.
                  </p>
                ) : null}
              </div>
            ) : null}
          </CardBody>
        </Card>
      </div>

      {data.offers.length ? (
        <section aria-labelledby="plans-heading" className="mt-8">
          <h2 id="plans-heading" className="text-base font-semibold text-zinc-900">
            Plans
          </h2>
          <p className="mt-0.5 text-sm text-zinc-500">
            {data.hasSubscription
              ? `Change or cancel the subscription in the ${data.provider} billing portal.`
              : `Prices are per month; checkout happens on ${data.provider}.`}
          </p>
          <ul className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {data.offers.map((offer) => {
              const current = offer.plan === plan.code
              return (
                <li
                  key={offer.id}
                  className={cn(
                    'flex flex-col rounded-xl bg-white p-5 shadow-sm ring-1',
                    current ? 'ring-2 ring-indigo-600' : 'ring-zinc-200',
                  )}
                >
                  <div className="flex items-center justify-between gap-2">
                    <h3 className="text-sm font-semibold text-zinc-900">{offer.name}</h3>
                    {current ? <Badge tone="indigo">Current plan</Badge> : null}
                  </div>
                  <p className="mt-2">
                    <span className="text-2xl font-semibold tracking-tight text-zinc-900">
                      {offer.price}
                    </span>{' '}
                    <span className="text-sm text-zinc-500">{offer.unit}</span>
                  </p>
                  {offer.description ? (
                    <p className="mt-1 text-sm text-zinc-500">{offer.description}</p>
                  ) : null}
                  <FeatureList features={offer.features} />
                  {data.hasSubscription || current ? null : (
                    <Form method="post" className="mt-auto pt-5">
                      <input type="hidden" name="intent" value="checkout" />
                      <input type="hidden" name="productId" value={offer.id} />
                      <Button className="w-full" pending={pending}>
                        Upgrade to {offer.name}
                      </Button>
                    </Form>
                  )}
                </li>
              )
            })}
          </ul>
        </section>
      ) : null}
    </>
  )
}

function SeatRow({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="flex items-baseline justify-between gap-3">
      <dt className="text-zinc-500">{label}</dt>
      <dd className="text-right font-medium text-zinc-900">
        {value}
        {hint ? <span className="block text-xs font-normal text-zinc-500">{hint}</span> : null}
      </dd>
    </div>
  )
}
