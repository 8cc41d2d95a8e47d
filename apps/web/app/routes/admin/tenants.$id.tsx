import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { z } from 'zod'
import { FormMessage } from '#app/components/form-message.tsx'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { FeatureList } from '#app/components/plan-features.tsx'
import { Badge } from '#app/components/ui/badge.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Card, CardBody, CardHeader } from '#app/components/ui/card.tsx'
import { Field, TextField } from '#app/components/ui/field.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { Table, TBody, Td, THead, Th, Tr } from '#app/components/ui/table.tsx'
import { Textarea } from '#app/components/ui/textarea.tsx'
import { formRefusal, loaderRefusal, notFound } from '#app/lib/errors.server.ts'
import { formatDate } from '#app/lib/format.ts'
import { parseForm } from '#app/lib/forms.server.ts'
import { type FormFailure, type FormResult, failureOf, resultFor } from '#app/lib/forms.ts'
import { respond } from '#app/lib/http.server.ts'
import { describeFeatures } from '#app/lib/plans.ts'
import { requirePlatformAdmin } from '#app/lib/platform.server.ts'

export const ErrorBoundary = OrgErrorBoundary

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.tenant.name ?? 'Tenant'} · Platform admin · Tenantbase` },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requirePlatformAdmin(request)
  const id = z.guid().safeParse(params.id)
  if (!id.success) notFound(admin, 'There is no tenant with this id.')
  const refusal = loaderRefusal(admin)
  const [[tenant], features] = await Promise.all([
    rpc(admin.supabase, 'platform_get_organization', { p_org_id: id.data }).catch(refusal),
    rpc(admin.supabase, 'platform_list_organization_features', { p_org_id: id.data }).catch(
      refusal,
    ),
  ])
  if (!tenant) notFound(admin, 'There is no tenant with this id.')
  return respond(admin, {
    tenant: {
      id: tenant.id ?? '',
      name: tenant.name ?? '',
      slug: tenant.slug ?? '',
      description: tenant.description,
      status: tenant.is_deleted ? 'deleted' : (tenant.status ?? 'active'),
      members: tenant.member_count ?? 0,
      createdAt: tenant.created_at,
    },
    plan: {
      name: tenant.plan_name ?? tenant.plan ?? 'Free',
      source: tenant.plan_source ?? 'free',
      features: describeFeatures(tenant.features),
    },
    subscription: tenant.subscription_provider
      ? {
          provider: tenant.subscription_provider === 'stripe' ? 'Stripe' : 'Lemon Squeezy',
          status: tenant.subscription_status ?? '',
          seats: tenant.subscription_quantity,
        }
      : null,
    override: tenant.override_plan
      ? {
          plan: tenant.override_plan,
          features: JSON.stringify(tenant.override_features ?? {}, null, 2),
          expiresAt: tenant.override_expires_at?.slice(0, 10) ?? '',
          reason: tenant.override_reason ?? '',
        }
      : null,
    features: features.map((f) => ({
      key: f.key ?? '',
      description: f.description,
      defaultEnabled: f.default_enabled ?? false,
      override: f.override,
      enabled: f.enabled ?? false,
    })),
  })
}

type Json = z.infer<ReturnType<typeof z.json>>
const jsonObject = z.string().transform((text, ctx): { [key: string]: Json } => {
  if (!text.trim()) return {}
  try {
    const value = JSON.parse(text)
    if (value && typeof value === 'object' && !Array.isArray(value)) return value
  } catch {}
  ctx.addIssue({ code: 'custom', message: 'Write a JSON object, e.g. {"members": 25}' })
  return z.NEVER
})
const overrideSchema = z.object({
  intent: z.literal('override'),
  plan: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_-]{0,62}$/, 'Use lower-case letters, digits, dashes or underscores'),
  features: jsonObject,
  expiresAt: z.union([z.literal(''), z.iso.date('Enter a date')]),
  reason: z.string().trim().max(500),
})
const featureSchema = z.object({
  intent: z.literal('feature'),
  target: z.string().min(1),
  state: z.enum(['default', 'on', 'off']),
})

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePlatformAdmin(request)
  const orgId = z.guid().safeParse(params.id)
  if (!orgId.success) notFound(admin, 'There is no tenant with this id.')
  const formData = await request.formData()
  const intent = formData.get('intent')
  if (intent === 'remove-override') {
    try {
      await rpc(admin.supabase, 'platform_set_subscription_override', {
        p_org_id: orgId.data,
        p_plan: null,
      })
    } catch (error) {
      return formRefusal(admin, error, { intent: 'override' })
    }
    return respond(admin, {
      ok: true,
      intent: 'override',
      message: 'Override removed: the tenant is back on its subscription or the free plan.',
    } satisfies FormResult)
  }
  if (intent === 'feature') {
    const form = parseForm(formData, featureSchema)
    if (!form.ok) return respond(admin, form, { status: 400 })
    try {
      await rpc(admin.supabase, 'platform_set_organization_feature', {
        p_org_id: orgId.data,
        p_key: form.data.target,
        p_enabled: form.data.state === 'default' ? null : form.data.state === 'on',
      })
    } catch (error) {
      return formRefusal(admin, error, { intent: 'feature', target: form.data.target })
    }
    return respond(admin, {
      ok: true,
      intent: 'feature',
      target: form.data.target,
      message: 'Saved.',
    } satisfies FormResult)
  }
  const form = parseForm(formData, overrideSchema)
  if (!form.ok) return respond(admin, form, { status: 400 })
  const values = {
    plan: form.data.plan,
    features: String(formData.get('features') ?? ''),
    expiresAt: form.data.expiresAt,
    reason: form.data.reason,
  }
  try {
    await rpc(admin.supabase, 'platform_set_subscription_override', {
      p_org_id: orgId.data,
      p_plan: form.data.plan,
      p_features: form.data.features,
      p_expires_at: form.data.expiresAt ? `${form.data.expiresAt}T23:59:59Z` : null,
      p_reason: form.data.reason || null,
    })
  } catch (error) {
    return formRefusal(admin, error, { intent: 'override', values })
  }
  return respond(admin, {
    ok: true,
    intent: 'override',
    message: `The tenant is now on the ${form.data.plan} plan.`,
  } satisfies FormResult)
}

export default function Tenant() {
  const { tenant, plan, subscription, override, features } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const submitting = navigation.state !== 'idle' ? navigation.formData?.get('intent') : null
  const overrideResult = resultFor(result, 'override')
  const overrideFailure = failureOf(overrideResult) as FormFailure | undefined
  return (
    <>
      <Link to="/admin" className="text-sm font-medium text-indigo-600 hover:text-indigo-500">
        ← All tenants
      </Link>
      <div className="mt-3">
        <PageHeader title={tenant.name} description={tenant.description ?? `/org/${tenant.slug}`} />
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 sm:gap-4">
        <Fact label="Slug" value={tenant.slug} />
        <Fact label="Members" value={String(tenant.members)} />
        <Fact label="Status" value={tenant.status} />
        <Fact label="Created" value={formatDate(tenant.createdAt)} />
      </dl>

      <div className="mt-6 grid items-start gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader
            title="Plan"
            description={
              plan.source === 'override'
                ? 'Granted by an operator (wins over any subscription).'
                : plan.source === 'subscription'
                  ? 'From the tenant’s subscription.'
                  : 'No subscription: the free plan.'
            }
          />
          <CardBody>
            <div className="flex items-center gap-2">
              <p className="text-xl font-semibold tracking-tight text-zinc-900">{plan.name}</p>
              <Badge tone={plan.source === 'override' ? 'amber' : 'neutral'}>{plan.source}</Badge>
            </div>
            {subscription ? (
              <p className="mt-1 text-sm text-zinc-500">
                {subscription.provider} subscription: {subscription.status}
                {subscription.seats !== null ? `, ${subscription.seats} seats` : ''}.
              </p>
            ) : null}
            <FeatureList features={plan.features} empty="No limits or extras." />
          </CardBody>
        </Card>

        <Card>
          <CardHeader
            title="Subscription override"
            description="Give this tenant a plan without a subscription, e.g. a pilot or a partner."
          />
          <CardBody>
            <FormMessage result={overrideResult} className="mb-4" />
            <Form method="post" className="grid gap-4" noValidate>
              <input type="hidden" name="intent" value="override" />
              <TextField
                label="Plan"
                name="plan"
                required
                placeholder="enterprise"
                defaultValue={overrideFailure?.values?.plan ?? override?.plan}
                errors={overrideFailure?.fieldErrors?.plan}
              />
              <Field
                label="Features (JSON)"
                name="features"
                description='Limits and extras, e.g. {"members": 100, "audit_log": true}.'
                errors={overrideFailure?.fieldErrors?.features}
              >
                {(props) => (
                  <Textarea
                    {...props}
                    rows={3}
                    className="font-mono"
                    spellCheck={false}
                    defaultValue={overrideFailure?.values?.features ?? override?.features ?? '{}'}
                  />
                )}
              </Field>
              <div className="grid gap-4 sm:grid-cols-2">
                <TextField
                  label="Expires on"
                  name="expiresAt"
                  type="date"
                  description="Empty: no end."
                  defaultValue={overrideFailure?.values?.expiresAt ?? override?.expiresAt}
                  errors={overrideFailure?.fieldErrors?.expiresAt}
                />
                <TextField
                  label="Reason"
                  name="reason"
                  maxLength={500}
                  defaultValue={overrideFailure?.values?.reason ?? override?.reason}
                  errors={overrideFailure?.fieldErrors?.reason}
                />
              </div>
              <div className="flex flex-wrap gap-2">
                <Button pending={submitting === 'override'}>Save override</Button>
                {override ? (
                  <Button
                    form="remove-override"
                    variant="ghost"
                    pending={submitting === 'remove-override'}
                  >
                    Remove override
                  </Button>
                ) : null}
              </div>
            </Form>
            {/* Its own form (forms cannot nest); the button above submits it. */}
            <Form method="post" id="remove-override" hidden>
              <input type="hidden" name="intent" value="remove-override" />
            </Form>
          </CardBody>
        </Card>
      </div>

      <Card className="mt-6">
        <CardHeader
          title="Feature flags"
          description="Each flag follows its platform default unless set here."
        />
        {features.length ? (
          <Table>
            <THead>
              <Tr>
                <Th>Flag</Th>
                <Th>Now</Th>
                <Th>
                  <span className="sr-only">Set</span>
                </Th>
              </Tr>
            </THead>
            <TBody>
              {features.map((flag) => {
                const flagResult = resultFor(result, 'feature', flag.key)
                return (
                  <Tr key={flag.key}>
                    <Td>
                      <span className="font-mono text-xs text-zinc-900">{flag.key}</span>
                      {flag.description ? (
                        <span className="block text-xs text-zinc-500">{flag.description}</span>
                      ) : null}
                      {flagResult && !flagResult.ok ? (
                        <span role="alert" className="block text-xs text-red-600">
                          {flagResult.formError}
                        </span>
                      ) : null}
                    </Td>
                    <Td>
                      <Badge tone={flag.enabled ? 'green' : 'neutral'}>
                        {flag.enabled ? 'on' : 'off'}
                      </Badge>
                      <span className="ml-2 text-xs text-zinc-500">
                        {flag.override === null ? 'default' : 'set for this tenant'}
                      </span>
                    </Td>
                    <Td className="text-right">
                      <Form method="post" className="inline-flex items-center gap-2">
                        <input type="hidden" name="intent" value="feature" />
                        <input type="hidden" name="target" value={flag.key} />
                        <label className="sr-only" htmlFor={`state-${flag.key}`}>
                          {flag.key} for this tenant
                        </label>
                        <select
                          id={`state-${flag.key}`}
                          name="state"
                          defaultValue={
                            flag.override === null ? 'default' : flag.override ? 'on' : 'off'
                          }
                          className="h-8 rounded-lg border-0 bg-white py-1 pr-8 pl-2 text-sm ring-1 ring-zinc-300 ring-inset"
                        >
                          <option value="default">
                            Default ({flag.defaultEnabled ? 'on' : 'off'})
                          </option>
                          <option value="on">On</option>
                          <option value="off">Off</option>
                        </select>
                        <Button variant="secondary" size="sm" aria-label={`Set ${flag.key}`}>
                          Set
                        </Button>
                      </Form>
                    </Td>
                  </Tr>
                )
              })}
            </TBody>
          </Table>
        ) : (
          <CardBody>
            <p className="text-sm text-zinc-500">
              No feature flags yet.{' '}
              <Link to="/admin/flags" className="font-medium text-indigo-600 hover:text-indigo-500">
                Create one
              </Link>
              .
            </p>
          </CardBody>
        )}
      </Card>
    </>
  )
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-xl bg-white px-4 py-3 shadow-sm ring-1 ring-zinc-200">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="mt-0.5 truncate text-sm font-medium text-zinc-900">{value}</dd>
    </div>
  )
}
