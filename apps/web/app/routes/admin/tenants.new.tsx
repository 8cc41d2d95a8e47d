import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData } from '@remix-run/react'
import { z } from 'zod'
import { FormMessage } from '#app/components/form-message.tsx'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { Alert } from '#app/components/ui/alert.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Card, CardBody } from '#app/components/ui/card.tsx'
import { TextField } from '#app/components/ui/field.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { formRefusal } from '#app/lib/errors.server.ts'
import { emailField, parseForm } from '#app/lib/forms.server.ts'
import { failureOf } from '#app/lib/forms.ts'
import { respond } from '#app/lib/http.server.ts'
import { requirePlatformAdmin } from '#app/lib/platform.server.ts'
import { provisionTenant } from '#app/lib/provision-tenant.server.ts'
import { usePending } from '#app/lib/use-pending.ts'

export const ErrorBoundary = OrgErrorBoundary

export const meta: MetaFunction = () => [
  { title: 'Provision a tenant · Platform admin · Tenantbase' },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePlatformAdmin(request)
  return respond(admin, null)
}

const schema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(200, 'Use at most 200 characters'),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
      'Use lower-case letters, digits and dashes, starting and ending with a letter or digit',
    ),
  adminEmail: emailField,
  roleName: z.string().trim().max(63, 'Use at most 63 characters').optional(),
})

/** The same path as `pnpm provision`: provision_tenant, then the invitation email. */
export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePlatformAdmin(request)
  const form = parseForm(await request.formData(), schema)
  if (!form.ok) return respond(admin, form, { status: 400 })
  const values = { ...form.data, roleName: form.data.roleName ?? '' }
  const { name, slug, adminEmail } = form.data
  try {
    const provisioned = await provisionTenant(admin.supabase, {
      name,
      slug,
      adminEmail,
      roleName: form.data.roleName || undefined,
    })
    return respond(admin, {
      ok: true as const,
      emailed: !provisioned.emailError,
      message: provisioned.emailError
        ? `${name} is ready, but the invitation email could not be sent (${provisioned.emailError}). Send the link below to ${adminEmail} yourself.`
        : `${name} is ready. The invitation was sent to ${adminEmail}.`,
      organizationId: provisioned.organization_id,
      link: provisioned.link,
    })
  } catch (error) {
    return formRefusal(admin, error, { values })
  }
}

export default function ProvisionTenant() {
  const result = useActionData<typeof action>()
  const failure = failureOf(result)
  const pending = usePending()
  const done = result?.ok ? result : null
  return (
    <>
      <PageHeader
        title="Provision a tenant"
        description="Creates the organization with its owner role and invites its first admin by email."
      />
      {done ? (
        <Alert
          tone={done.emailed ? 'success' : 'warning'}
          title="Tenant provisioned"
          className="mb-6"
        >
          <p>{done.message}</p>
          <p className="mt-2 break-all">
            Invitation link: <span className="font-mono text-xs">{done.link}</span>
          </p>
          <p className="mt-2">
            <Link to={`/admin/tenants/${done.organizationId}`} className="font-medium underline">
              Open the tenant
            </Link>
          </p>
        </Alert>
      ) : null}
      <Card className="max-w-2xl">
        <CardBody>
          <FormMessage result={failure} className="mb-4" />
          <Form
            method="post"
            className="grid gap-4 sm:grid-cols-2"
            noValidate
            key={done?.organizationId}
          >
            <TextField
              label="Organization name"
              name="name"
              required
              maxLength={200}
              defaultValue={failure?.values?.name}
              errors={failure?.fieldErrors?.name}
            />
            <TextField
              label="Slug"
              name="slug"
              required
              maxLength={63}
              autoCapitalize="none"
              spellCheck={false}
              description="Its address: /org/<slug>."
              defaultValue={failure?.values?.slug}
              errors={failure?.fieldErrors?.slug}
            />
            <TextField
              label="Admin email"
              name="adminEmail"
              type="email"
              required
              autoComplete="off"
              description="This person becomes the owner when they accept."
              defaultValue={failure?.values?.adminEmail}
              errors={failure?.fieldErrors?.adminEmail}
            />
            <TextField
              label="Owner role name"
              name="roleName"
              placeholder="Owner"
              maxLength={63}
              defaultValue={failure?.values?.roleName}
              errors={failure?.fieldErrors?.roleName}
            />
            <div className="sm:col-span-2">
              <Button pending={pending}>Provision and send invitation</Button>
            </div>
          </Form>
        </CardBody>
      </Card>
    </>
  )
}
