import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { Logo } from '#app/components/logo.tsx'
import { FeatureList } from '#app/components/plan-features.tsx'
import { Alert } from '#app/components/ui/alert.tsx'
import { LinkButton } from '#app/components/ui/button.tsx'
import { billing } from '#app/lib/billing.server.ts'
import { loaderRefusal } from '#app/lib/errors.server.ts'
import { respond } from '#app/lib/http.server.ts'
import { listMyOrganizations } from '#app/lib/org.server.ts'
import { describeFeatures, formatAmount, priceUnit } from '#app/lib/plans.ts'
import { getUser } from '#app/lib/supabase.server.ts'

export const meta: MetaFunction = () => [
  { title: 'Pricing · Tenantbase' },
  { name: 'description', content: 'Plans for teams of every size, billed per seat.' },
]

/** `/pricing`: the plans on offer, for everyone (list_subscription_products is open to anon). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request)
  const products = await rpc(user.supabase, 'list_subscription_products', {}).catch(
    loaderRefusal(user),
  )
  const provider = billing()?.provider.name ?? null
  // Without a provider nothing can be bought; show each plan once, for information.
  const seen = new Set<string>()
  const offered = products.filter((p) => {
    if (provider ? p.provider !== provider : seen.has(p.plan ?? '')) return false
    seen.add(p.plan ?? '')
    return true
  })
  let billingPath: string | null = null
  if (user.claims) {
    const organizations = await listMyOrganizations(user)
    const active = organizations.find((o) => o.isActive) ?? organizations[0]
    if (active) billingPath = `/org/${active.slug}/billing`
  }
  return respond(user, {
    signedIn: !!user.claims,
    billingPath,
    paymentsEnabled: !!provider,
    plans: offered.map((p) => ({
      id: p.id ?? '',
      name: p.name ?? '',
      description: p.description,
      price: formatAmount(p.amount, p.currency ?? 'usd'),
      unit: priceUnit(p.billing_interval, p.seat_based),
      features: describeFeatures(p.features),
    })),
  })
}

export default function Pricing() {
  const data = useLoaderData<typeof loader>()
  const action = data.billingPath
    ? { to: data.billingPath, label: 'Choose in billing' }
    : data.signedIn
      ? { to: '/', label: 'Go to Tenantbase' }
      : { to: '/sign-in?redirectTo=/pricing', label: 'Sign in to upgrade' }
  return (
    <div className="min-h-full">
      <header className="border-b border-zinc-200 bg-white">
        <div className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-4 sm:px-6">
          <Logo />
          <LinkButton to={data.signedIn ? '/' : '/sign-in'} variant="secondary" size="sm">
            {data.signedIn ? 'Open the app' : 'Sign in'}
          </LinkButton>
        </div>
      </header>
      <main className="mx-auto max-w-5xl px-4 py-12 sm:px-6 sm:py-16">
        <div className="max-w-2xl">
          <h1 className="text-3xl font-semibold tracking-tight text-zinc-900 sm:text-4xl">
            Pricing
          </h1>
          <p className="mt-3 text-base text-zinc-600">
            Start free, invite your team, and upgrade when you need more seats. Paid plans are
            billed per member, every month, and can be changed or cancelled at any time.
          </p>
        </div>
        {data.paymentsEnabled ? null : (
          <Alert tone="info" className="mt-8 max-w-2xl">
            Payments are not set up on this deployment yet: every organization is on the free plan
            for now.
          </Alert>
        )}
        <ul className="mt-10 grid gap-5 sm:grid-cols-2 lg:grid-cols-3">
          <li className="flex flex-col rounded-2xl bg-white p-6 shadow-sm ring-1 ring-zinc-200">
            <h2 className="text-base font-semibold text-zinc-900">Free</h2>
            <p className="mt-3">
              <span className="text-3xl font-semibold tracking-tight text-zinc-900">$0</span>{' '}
              <span className="text-sm text-zinc-500">forever</span>
            </p>
            <p className="mt-2 text-sm text-zinc-500">
              Organizations, roles, invitations and deals, to get started.
            </p>
          </li>
          {data.plans.map((plan) => (
            <li
              key={plan.id}
              className="flex flex-col rounded-2xl bg-white p-6 shadow-sm ring-1 ring-zinc-200"
            >
              <h2 className="text-base font-semibold text-zinc-900">{plan.name}</h2>
              <p className="mt-3">
                <span className="text-3xl font-semibold tracking-tight text-zinc-900">
                  {plan.price}
                </span>{' '}
                <span className="text-sm text-zinc-500">{plan.unit}</span>
              </p>
              {plan.description ? (
                <p className="mt-2 text-sm text-zinc-500">{plan.description}</p>
              ) : null}
              <FeatureList features={plan.features} />
              {data.paymentsEnabled ? (
                <div className="mt-auto pt-6">
                  <LinkButton to={action.to} className="w-full" variant="secondary">
                    {action.label}
                    <span className="sr-only"> ({plan.name})</span>
                  </LinkButton>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </main>
    </div>
  )
}
