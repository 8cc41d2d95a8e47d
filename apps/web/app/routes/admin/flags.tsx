import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { z } from 'zod'
import { FormMessage } from '#app/components/form-message.tsx'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { Badge } from '#app/components/ui/badge.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Card, CardBody, CardHeader } from '#app/components/ui/card.tsx'
import { EmptyState } from '#app/components/ui/empty-state.tsx'
import { TextField } from '#app/components/ui/field.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { Table, TBody, Td, THead, Th, Tr } from '#app/components/ui/table.tsx'
import { formRefusal, loaderRefusal } from '#app/lib/errors.server.ts'
import { parseForm } from '#app/lib/forms.server.ts'
import { type FormResult, failureOf, resultFor } from '#app/lib/forms.ts'
import { respond } from '#app/lib/http.server.ts'
import { requirePlatformAdmin } from '#app/lib/platform.server.ts'

export const ErrorBoundary = OrgErrorBoundary

export const meta: MetaFunction = () => [{ title: 'Feature flags · Platform admin · Tenantbase' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePlatformAdmin(request)
  const flags = await rpc(admin.supabase, 'platform_list_feature_flags', {}).catch(
    loaderRefusal(admin),
  )
  return respond(admin, {
    flags: flags.map((f) => ({
      key: f.key ?? '',
      description: f.description,
      enabled: f.enabled ?? false,
      overrides: f.override_count ?? 0,
    })),
  })
}

const createSchema = z.object({
  intent: z.literal('create'),
  key: z
    .string()
    .trim()
    .regex(
      /^[a-z][a-z0-9_.]*$/,
      'Use lower-case letters, digits, dots and underscores, starting with a letter',
    )
    .max(100),
  description: z.string().trim().max(500),
  enabled: z.literal('yes').optional(),
})
const toggleSchema = z.object({
  intent: z.literal('toggle'),
  target: z.string().min(1),
  enabled: z.enum(['true', 'false']),
})

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePlatformAdmin(request)
  const formData = await request.formData()
  if (formData.get('intent') === 'toggle') {
    const form = parseForm(formData, toggleSchema)
    if (!form.ok) return respond(admin, form, { status: 400 })
    try {
      await rpc(admin.supabase, 'platform_set_feature_flag', {
        p_key: form.data.target,
        p_enabled: form.data.enabled === 'true',
      })
    } catch (error) {
      return formRefusal(admin, error, { intent: 'toggle', target: form.data.target })
    }
    return respond(admin, {
      ok: true,
      intent: 'toggle',
      message: `${form.data.target} is now ${form.data.enabled === 'true' ? 'on' : 'off'} by default.`,
    } satisfies FormResult)
  }
  const form = parseForm(formData, createSchema)
  if (!form.ok) return respond(admin, form, { status: 400 })
  try {
    await rpc(admin.supabase, 'platform_set_feature_flag', {
      p_key: form.data.key,
      p_enabled: form.data.enabled === 'yes',
      p_description: form.data.description || null,
    })
  } catch (error) {
    return formRefusal(admin, error, { intent: 'create', values: form.data })
  }
  return respond(admin, {
    ok: true,
    intent: 'create',
    message: `Flag ${form.data.key} saved.`,
  } satisfies FormResult)
}

export default function Flags() {
  const { flags } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const submitting = navigation.state !== 'idle' ? navigation.formData?.get('intent') : null
  const created = resultFor(result, 'create')
  const createFailure = failureOf(created)
  return (
    <>
      <PageHeader
        title="Feature flags"
        description="Switch features on or off for every tenant; set exceptions on a tenant's page."
      />
      <FormMessage result={resultFor(result, 'toggle')} className="mb-6" />
      <Card>
        {flags.length ? (
          <Table>
            <THead>
              <Tr>
                <Th>Flag</Th>
                <Th className="hidden sm:table-cell">Default</Th>
                <Th className="hidden sm:table-cell">Exceptions</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </Tr>
            </THead>
            <TBody>
              {flags.map((flag) => (
                <Tr key={flag.key}>
                  <Td>
                    <span className="font-mono text-xs text-zinc-900">{flag.key}</span>
                    <span className="ml-2 sm:hidden">
                      <Badge tone={flag.enabled ? 'green' : 'neutral'}>
                        {flag.enabled ? 'on' : 'off'}
                      </Badge>
                    </span>
                    {flag.description ? (
                      <span className="block text-xs text-zinc-500">{flag.description}</span>
                    ) : null}
                  </Td>
                  <Td className="hidden sm:table-cell">
                    <Badge tone={flag.enabled ? 'green' : 'neutral'}>
                      {flag.enabled ? 'on' : 'off'}
                    </Badge>
                  </Td>
                  <Td className="hidden sm:table-cell">
                    {flag.overrides
                      ? `${flag.overrides} tenant${flag.overrides === 1 ? '' : 's'}`
                      : '—'}
                  </Td>
                  <Td className="text-right">
                    <Form method="post">
                      <input type="hidden" name="intent" value="toggle" />
                      <input type="hidden" name="target" value={flag.key} />
                      <input type="hidden" name="enabled" value={flag.enabled ? 'false' : 'true'} />
                      <Button variant="secondary" size="sm">
                        Turn {flag.enabled ? 'off' : 'on'}
                        <span className="sr-only"> {flag.key}</span>
                      </Button>
                    </Form>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        ) : (
          <EmptyState title="No feature flags yet">Create the first one below.</EmptyState>
        )}
      </Card>

      <Card className="mt-6 max-w-2xl">
        <CardHeader title="New flag" description="Or change the description of an existing one." />
        <CardBody>
          <FormMessage result={created} className="mb-4" />
          <Form
            method="post"
            className="grid gap-4 sm:grid-cols-2"
            noValidate
            key={created?.ok ? 'done' : 'form'}
          >
            <input type="hidden" name="intent" value="create" />
            <TextField
              label="Key"
              name="key"
              required
              placeholder="reports.beta"
              autoCapitalize="none"
              spellCheck={false}
              defaultValue={createFailure?.values?.key}
              errors={createFailure?.fieldErrors?.key}
            />
            <TextField
              label="Description"
              name="description"
              maxLength={500}
              defaultValue={createFailure?.values?.description}
              errors={createFailure?.fieldErrors?.description}
            />
            <label className="flex items-center gap-2 text-sm text-zinc-700 sm:col-span-2">
              <input
                type="checkbox"
                name="enabled"
                value="yes"
                className="size-4 rounded border-zinc-300"
              />
              On for every tenant
            </label>
            <div className="sm:col-span-2">
              <Button pending={submitting === 'create'}>Save flag</Button>
            </div>
          </Form>
        </CardBody>
      </Card>
    </>
  )
}
