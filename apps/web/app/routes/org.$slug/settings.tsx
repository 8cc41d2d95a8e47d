import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import {
  Form,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { z } from 'zod'
import { FormMessage } from '#app/components/form-message.tsx'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { Alert } from '#app/components/ui/alert.tsx'
import { Avatar } from '#app/components/ui/avatar.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Card, CardBody, CardHeader } from '#app/components/ui/card.tsx'
import { Field, SelectField, TextField } from '#app/components/ui/field.tsx'
import { Label } from '#app/components/ui/label.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { Textarea } from '#app/components/ui/textarea.tsx'
import { can } from '#app/lib/access.ts'
import { forbidden, formRefusal, loaderRefusal } from '#app/lib/errors.server.ts'
import { personName } from '#app/lib/format.ts'
import { parseForm } from '#app/lib/forms.server.ts'
import { type FormFailure, type FormResult, failureOf, resultFor } from '#app/lib/forms.ts'
import { redirectTo, respond } from '#app/lib/http.server.ts'
import { type OrgContext, requireOrgMember } from '#app/lib/org.server.ts'
import { imageProblem, publicUrl, uploadImage } from '#app/lib/storage.server.ts'

export const ErrorBoundary = OrgErrorBoundary

export const meta: MetaFunction = () => [{ title: 'Settings · Tenantbase' }]

/** Who may use this page at all: editors of the organization and its owner. */
function mayOpen(context: OrgContext): boolean {
  return context.access.isOwner || can(context.access, 'organization.update')
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await requireOrgMember(request, params)
  if (!mayOpen(context)) {
    forbidden(context, 'Only members who may edit the organization can open its settings.')
  }
  const refusal = loaderRefusal(context)
  const [[profile], members] = await Promise.all([
    rpc(context.supabase, 'get_organization_profile', { p_id: context.org.id }).catch(refusal),
    context.access.isOwner
      ? rpc(context.supabase, 'list_organization_members', { p_id: context.org.id }).catch(refusal)
      : Promise.resolve([]),
  ])
  return respond(context, {
    org: {
      name: profile?.name ?? context.org.name,
      slug: profile?.slug ?? context.org.slug,
      description: profile?.description ?? '',
      logoUrl:
        profile?.logo_bucket_id && profile.logo_object_name
          ? publicUrl(profile.logo_bucket_id, profile.logo_object_name)
          : null,
    },
    mayEdit: can(context.access, 'organization.update'),
    isOwner: context.access.isOwner,
    successors: members
      .filter((m) => !m.is_super_admin && m.user_id !== context.userId)
      .map((m) => ({
        value: m.user_id ?? '',
        label: `${personName(m)} (${m.role_label ?? m.role})`,
      })),
  })
}

const generalSchema = z.object({
  intent: z.literal('general'),
  name: z.string().trim().min(1, 'Enter a name').max(200, 'Use at most 200 characters'),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
      'Use lower-case letters, digits and dashes, starting and ending with a letter or digit',
    ),
  description: z.string().trim().max(2000, 'Use at most 2000 characters'),
})
const transferSchema = z.object({
  intent: z.literal('transfer'),
  successor: z.guid('Choose the new owner'),
  understood: z.literal('yes', 'Confirm that you understand'),
})
const deleteSchema = z.object({ intent: z.literal('delete'), confirmation: z.string() })

export async function action({ request, params }: ActionFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const formData = await request.formData()
  switch (formData.get('intent')) {
    case 'general':
      return saveGeneral(context, formData)
    case 'logo':
    case 'remove-logo':
      return saveLogo(context, formData)
    case 'transfer':
      return transfer(context, formData)
    case 'delete':
      return remove(context, formData)
    default:
      return respond(context, { ok: false, formError: 'Unknown action.' } satisfies FormFailure, {
        status: 400,
      })
  }
}

async function saveGeneral(context: OrgContext, formData: FormData) {
  const form = parseForm(formData, generalSchema)
  if (!form.ok) return respond(context, form, { status: 400 })
  const { name, slug, description } = form.data
  const values = { name, slug, description }
  try {
    if (slug !== context.org.slug) {
      await rpc(context.supabase, 'update_organization_slug', {
        p_id: context.org.id,
        p_slug: slug,
      })
    }
    await rpc(context.supabase, 'update_organization', {
      p_id: context.org.id,
      p_name: name,
      p_description: description || null,
    })
  } catch (error) {
    return formRefusal(context, error, { intent: 'general', values })
  }
  // The page's address follows the slug.
  return redirectTo(context, `/org/${slug}/settings?saved=general`)
}

async function saveLogo(context: OrgContext, formData: FormData) {
  const intent = String(formData.get('intent'))
  let objectName: string | null = null
  if (intent === 'logo') {
    const file = formData.get('logo')
    const problem = imageProblem(file)
    if (problem) {
      return respond(
        context,
        { ok: false, intent, fieldErrors: { logo: [problem] } } satisfies FormFailure,
        { status: 400 },
      )
    }
    const uploaded = await uploadImage(context.supabase, 'logos', context.org.id, file as File)
    if ('error' in uploaded) {
      return respond(
        context,
        { ok: false, intent, formError: uploaded.error } satisfies FormFailure,
        {
          status: 400,
        },
      )
    }
    objectName = uploaded.path
  }
  try {
    const [set] = await rpc(context.supabase, 'set_organization_logo', {
      p_org_id: context.org.id,
      p_object_name: objectName,
    })
    // The previous picture is no longer used by anything.
    if (set?.previous_object_name) {
      await context.supabase.storage.from('logos').remove([set.previous_object_name])
    }
  } catch (error) {
    if (objectName) await context.supabase.storage.from('logos').remove([objectName])
    return formRefusal(context, error, { intent })
  }
  return respond(context, {
    ok: true,
    intent,
    message: objectName ? 'Logo updated.' : 'Logo removed.',
  } satisfies FormResult)
}

async function transfer(context: OrgContext, formData: FormData) {
  const form = parseForm(formData, transferSchema)
  if (!form.ok) return respond(context, form, { status: 400 })
  try {
    await rpc(context.supabase, 'transfer_super_admin', {
      p_org_id: context.org.id,
      p_new_super_admin_user_id: form.data.successor,
    })
  } catch (error) {
    return formRefusal(context, error, { intent: 'transfer' })
  }
  // The former owner now holds the new owner's previous role: the page may be closed to them.
  return redirectTo(context, `/org/${context.org.slug}/members`)
}

async function remove(context: OrgContext, formData: FormData) {
  const form = parseForm(formData, deleteSchema)
  if (!form.ok) return respond(context, form, { status: 400 })
  if (form.data.confirmation.trim() !== context.org.slug) {
    return respond(
      context,
      {
        ok: false,
        intent: 'delete',
        fieldErrors: { confirmation: [`Type ${context.org.slug} to confirm`] },
      } satisfies FormFailure,
      { status: 400 },
    )
  }
  try {
    await rpc(context.supabase, 'delete_organization', { p_id: context.org.id })
  } catch (error) {
    return formRefusal(context, error, { intent: 'delete' })
  }
  return redirectTo(context, '/')
}

export default function Settings() {
  const data = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  const navigation = useNavigation()
  const submitting = navigation.state !== 'idle' ? navigation.formData?.get('intent') : null
  const pending = (intent: string) => submitting === intent
  const general = failureOf(resultFor(result, 'general'))
  const logoResult = resultFor(result, 'logo') ?? resultFor(result, 'remove-logo')
  const transferResult = failureOf(resultFor(result, 'transfer'))
  const deleteResult = failureOf(resultFor(result, 'delete'))
  return (
    <>
      <PageHeader title="Settings" description={`How ${data.org.name} appears and who owns it.`} />

      {data.mayEdit ? (
        <>
          <Card>
            <CardHeader
              title="General"
              description="The name, address and description members see."
            />
            <CardBody>
              {params.get('saved') === 'general' && !result ? (
                <Alert tone="success" className="mb-4">
                  Settings saved.
                </Alert>
              ) : null}
              <FormMessage result={general} className="mb-4" />
              <Form
                method="post"
                className="grid gap-4 sm:grid-cols-2"
                noValidate
                // Saved values replace what was typed (the page stays mounted across the redirect).
                key={`${data.org.slug}\n${data.org.name}\n${data.org.description}`}
              >
                <input type="hidden" name="intent" value="general" />
                <TextField
                  label="Name"
                  name="name"
                  required
                  maxLength={200}
                  defaultValue={general?.values?.name ?? data.org.name}
                  errors={general?.fieldErrors?.name}
                />
                <TextField
                  label="Slug"
                  name="slug"
                  required
                  maxLength={63}
                  autoCapitalize="none"
                  spellCheck={false}
                  description="The organization's address: /org/<slug>. Old links stop working."
                  defaultValue={general?.values?.slug ?? data.org.slug}
                  errors={general?.fieldErrors?.slug}
                />
                <Field
                  label="Description"
                  name="description"
                  errors={general?.fieldErrors?.description}
                  className="sm:col-span-2"
                >
                  {(props) => (
                    <Textarea
                      {...props}
                      maxLength={2000}
                      rows={3}
                      defaultValue={general?.values?.description ?? data.org.description}
                    />
                  )}
                </Field>
                <div className="sm:col-span-2">
                  <Button pending={pending('general')}>Save changes</Button>
                </div>
              </Form>
            </CardBody>
          </Card>

          <Card className="mt-6">
            <CardHeader
              title="Logo"
              description="Shown beside the organization's name. PNG, JPEG, WebP or GIF, up to 1 MB."
            />
            <CardBody>
              <FormMessage result={logoResult} className="mb-4" />
              <div className="flex flex-wrap items-center gap-5">
                {data.org.logoUrl ? (
                  <img
                    src={data.org.logoUrl}
                    alt={`Logo of ${data.org.name}`}
                    className="size-16 rounded-xl object-cover ring-1 ring-zinc-200"
                  />
                ) : (
                  <Avatar name={data.org.name} className="size-16 rounded-xl text-lg" />
                )}
                <Form
                  method="post"
                  encType="multipart/form-data"
                  className="flex flex-wrap items-end gap-3"
                  key={data.org.logoUrl ?? 'none'}
                >
                  <input type="hidden" name="intent" value="logo" />
                  <div>
                    <Label htmlFor="logo">New logo</Label>
                    <input
                      id="logo"
                      name="logo"
                      type="file"
                      accept="image/png,image/jpeg,image/webp,image/gif"
                      aria-invalid={failureOf(logoResult)?.fieldErrors?.logo ? true : undefined}
                      aria-describedby={
                        failureOf(logoResult)?.fieldErrors?.logo ? 'logo-error' : undefined
                      }
                      className="mt-1.5 block w-full max-w-xs text-sm text-zinc-700 file:mr-3 file:rounded-lg file:border-0 file:bg-zinc-100 file:px-3 file:py-2 file:text-sm file:font-medium file:text-zinc-800 hover:file:bg-zinc-200"
                    />
                    {failureOf(logoResult)?.fieldErrors?.logo ? (
                      <p id="logo-error" className="mt-1.5 text-sm text-red-600">
                        {failureOf(logoResult)?.fieldErrors?.logo?.join(' ')}
                      </p>
                    ) : null}
                  </div>
                  <Button variant="secondary" pending={pending('logo')}>
                    Upload logo
                  </Button>
                </Form>
                {data.org.logoUrl ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="remove-logo" />
                    <Button variant="ghost" pending={pending('remove-logo')}>
                      Remove logo
                    </Button>
                  </Form>
                ) : null}
              </div>
            </CardBody>
          </Card>
        </>
      ) : null}

      {data.isOwner ? (
        <section
          aria-labelledby="danger-heading"
          className="mt-6 rounded-xl bg-white shadow-sm ring-1 ring-red-200"
        >
          <div className="border-b border-red-100 px-5 py-4">
            <h2 id="danger-heading" className="text-base font-semibold text-red-800">
              Danger zone
            </h2>
            <p className="mt-0.5 text-sm text-zinc-500">Only the owner can do these.</p>
          </div>
          <div className="divide-y divide-zinc-100">
            <div className="px-5 py-4">
              <h3 className="text-sm font-semibold text-zinc-900">Transfer ownership</h3>
              <p className="mt-1 text-sm text-zinc-500">
                The new owner gets the owner role; you take over their current role.
              </p>
              <FormMessage result={transferResult} className="mt-3" />
              {data.successors.length ? (
                <Form method="post" className="mt-3 grid gap-3 sm:max-w-md" noValidate>
                  <input type="hidden" name="intent" value="transfer" />
                  <SelectField
                    label="New owner"
                    name="successor"
                    options={[{ value: '', label: 'Choose a member' }, ...data.successors]}
                    errors={transferResult?.fieldErrors?.successor}
                  />
                  <label className="flex items-start gap-2 text-sm text-zinc-700">
                    <input
                      type="checkbox"
                      name="understood"
                      value="yes"
                      className="mt-0.5 size-4 rounded border-zinc-300"
                    />
                    I understand that I will no longer own this organization.
                  </label>
                  {transferResult?.fieldErrors?.understood ? (
                    <p className="text-sm text-red-600">
                      {transferResult.fieldErrors.understood.join(' ')}
                    </p>
                  ) : null}
                  <div>
                    <Button variant="danger" pending={pending('transfer')}>
                      Transfer ownership
                    </Button>
                  </div>
                </Form>
              ) : (
                <p className="mt-3 text-sm text-zinc-500">
                  Invite someone first: ownership goes to another member.
                </p>
              )}
            </div>
            <div className="px-5 py-4">
              <h3 className="text-sm font-semibold text-zinc-900">Delete this organization</h3>
              <p className="mt-1 text-sm text-zinc-500">
                Every member loses access to {data.org.name} and everything in it at once. The
                platform operator can restore it.
              </p>
              <FormMessage result={deleteResult} className="mt-3" />
              <Form method="post" className="mt-3 grid gap-3 sm:max-w-md" noValidate>
                <input type="hidden" name="intent" value="delete" />
                <TextField
                  label={
                    <>
                      Type <span className="font-mono">{data.org.slug}</span> to confirm
                    </>
                  }
                  name="confirmation"
                  autoComplete="off"
                  autoCapitalize="none"
                  spellCheck={false}
                  errors={deleteResult?.fieldErrors?.confirmation}
                />
                <div>
                  <Button variant="danger" pending={pending('delete')}>
                    Delete organization
                  </Button>
                </div>
              </Form>
            </div>
          </div>
        </section>
      ) : null}
    </>
  )
}
