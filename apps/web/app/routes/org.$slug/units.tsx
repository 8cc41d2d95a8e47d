import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { z } from 'zod'
import { FormMessage } from '#app/components/form-message.tsx'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Card, CardBody, CardHeader } from '#app/components/ui/card.tsx'
import { EmptyState } from '#app/components/ui/empty-state.tsx'
import { TextField } from '#app/components/ui/field.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { can } from '#app/lib/access.ts'
import { formRefusal, loaderRefusal } from '#app/lib/errors.server.ts'
import { parseForm } from '#app/lib/forms.server.ts'
import { type FormResult, failureOf } from '#app/lib/forms.ts'
import { respond } from '#app/lib/http.server.ts'
import { requireOrgMember } from '#app/lib/org.server.ts'
import { usePending } from '#app/lib/use-pending.ts'

export const ErrorBoundary = OrgErrorBoundary

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const units = await rpc(context.supabase, 'list_units', { p_org_id: context.org.id }).catch(
    loaderRefusal(context),
  )
  return respond(context, {
    mayManage: can(context.access, 'units.manage'),
    units: units.map((u) => ({ id: u.id ?? '', name: u.name ?? '', description: u.description })),
  })
}

const createSchema = z.object({
  intent: z.literal('create'),
  name: z.string().trim().min(1, 'Give the unit a name').max(200, 'Use at most 200 characters'),
  description: z.string().trim().max(500, 'Use at most 500 characters').optional(),
})

export async function action({ request, params }: ActionFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const form = parseForm(await request.formData(), createSchema)
  if (!form.ok) return respond(context, form, { status: 400 })
  try {
    await rpc(context.supabase, 'create_unit', {
      p_org_id: context.org.id,
      p_name: form.data.name,
      p_description: form.data.description || null,
    })
  } catch (error) {
    return formRefusal(context, error, {
      intent: 'create',
      values: { name: form.data.name, description: form.data.description ?? '' },
    })
  }
  return respond(context, {
    ok: true,
    intent: 'create',
    message: `Unit "${form.data.name}" created.`,
  } satisfies FormResult)
}

export default function Units() {
  const { units, mayManage } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title="Units" description="Teams and departments inside the organization." />
      {mayManage ? <CreateUnit /> : null}
      <Card className={mayManage ? 'mt-6' : undefined}>
        <CardHeader title={`Units (${units.length})`} />
        {units.length ? (
          <ul className="divide-y divide-zinc-100">
            {units.map((unit) => (
              <li key={unit.id}>
                <Link
                  to={unit.id}
                  className="flex items-center justify-between gap-4 px-5 py-3.5 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
                >
                  <span className="min-w-0">
                    <span className="block font-medium text-zinc-900">{unit.name}</span>
                    {unit.description ? (
                      <span className="block truncate text-sm text-zinc-500">
                        {unit.description}
                      </span>
                    ) : null}
                  </span>
                  <span aria-hidden="true" className="text-zinc-400">
                    →
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState title="No units yet">
            Units group members into teams or departments.
            {mayManage ? ' Create the first one above.' : ''}
          </EmptyState>
        )}
      </Card>
    </>
  )
}

function CreateUnit() {
  const result = useActionData<typeof action>()
  const failure = failureOf(result)
  const pending = usePending('create')
  return (
    <Card>
      <CardHeader title="Create a unit" />
      <CardBody>
        <Form method="post" noValidate key={result?.ok ? result.message : 'form'}>
          <input type="hidden" name="intent" value="create" />
          <FormMessage result={result} className="mb-4" />
          <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)_auto] sm:items-start">
            <TextField
              label="Name"
              name="name"
              defaultValue={failure?.values?.name}
              errors={failure?.fieldErrors?.name}
            />
            <TextField
              label="Description (optional)"
              name="description"
              defaultValue={failure?.values?.description}
              errors={failure?.fieldErrors?.description}
            />
            <Button className="sm:mt-6" pending={pending}>
              Create unit
            </Button>
          </div>
        </Form>
      </CardBody>
    </Card>
  )
}
