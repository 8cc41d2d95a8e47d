import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { z } from 'zod'
import { FormMessage } from '#app/components/form-message.tsx'
import { Logo } from '#app/components/logo.tsx'
import { Alert } from '#app/components/ui/alert.tsx'
import { Avatar } from '#app/components/ui/avatar.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Card, CardBody, CardHeader } from '#app/components/ui/card.tsx'
import { TextField } from '#app/components/ui/field.tsx'
import { Label } from '#app/components/ui/label.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { UserMenu } from '#app/components/user-menu.tsx'
import { env } from '#app/lib/env.server.ts'
import { formRefusal, loaderRefusal } from '#app/lib/errors.server.ts'
import { personName } from '#app/lib/format.ts'
import { emailField, parseForm, passwordField } from '#app/lib/forms.server.ts'
import { type FormFailure, type FormResult, failureOf, resultFor } from '#app/lib/forms.ts'
import { respond } from '#app/lib/http.server.ts'
import { listMyOrganizations } from '#app/lib/org.server.ts'
import { isCurrentPassword } from '#app/lib/password.server.ts'
import { imageProblem, publicUrl, uploadImage } from '#app/lib/storage.server.ts'
import { requireUser, type SignedIn } from '#app/lib/supabase.server.ts'

export const meta: MetaFunction = () => [{ title: 'Your profile · Tenantbase' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const refusal = loaderRefusal(user)
  const [[profile], organizations, isPlatformAdmin, auth] = await Promise.all([
    rpc(user.supabase, 'get_user_profile', {}).catch(refusal),
    listMyOrganizations(user),
    rpc(user.supabase, 'is_platform_admin', {}).catch(refusal),
    user.supabase.auth.getUser(),
  ])
  const active = organizations.find((o) => o.isActive) ?? organizations[0]
  return respond(user, {
    email: auth.data.user?.email ?? user.email,
    pendingEmail: auth.data.user?.new_email ?? null,
    firstName: profile?.first_name ?? '',
    lastName: profile?.last_name ?? '',
    name: profile ? personName(profile) : user.email,
    avatarUrl: profile?.avatar_url ?? null,
    back: active ? { to: `/org/${active.slug}/dashboard`, label: active.name } : null,
    isPlatformAdmin: isPlatformAdmin ?? false,
  })
}

const nameSchema = z.object({
  intent: z.literal('name'),
  firstName: z.string().trim().min(1, 'Enter your first name').max(100),
  lastName: z.string().trim().max(100),
})
const emailSchema = z.object({ intent: z.literal('email'), email: emailField })
const passwordSchema = z
  .object({
    intent: z.literal('password'),
    current: z.string().min(1, 'Enter your current password'),
    password: passwordField,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, {
    path: ['confirm'],
    message: 'The passwords do not match',
  })

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request)
  const formData = await request.formData()
  switch (formData.get('intent')) {
    case 'name':
      return saveName(user, formData)
    case 'avatar':
      return saveAvatar(user, formData)
    case 'email':
      return changeEmail(user, formData)
    case 'password':
      return changePassword(user, formData)
    default:
      return respond(user, { ok: false, formError: 'Unknown action.' } satisfies FormFailure, {
        status: 400,
      })
  }
}

async function saveName(user: SignedIn, formData: FormData) {
  const form = parseForm(formData, nameSchema)
  if (!form.ok) return respond(user, form, { status: 400 })
  try {
    await rpc(user.supabase, 'update_user_profile', {
      p_first_name: form.data.firstName,
      p_last_name: form.data.lastName,
    })
  } catch (error) {
    return formRefusal(user, error, { intent: 'name', values: form.data })
  }
  return respond(user, { ok: true, intent: 'name', message: 'Name saved.' } satisfies FormResult)
}

async function saveAvatar(user: SignedIn, formData: FormData) {
  const file = formData.get('avatar')
  const problem = imageProblem(file)
  if (problem) {
    return respond(
      user,
      { ok: false, intent: 'avatar', fieldErrors: { avatar: [problem] } } satisfies FormFailure,
      { status: 400 },
    )
  }
  const [before] = await rpc(user.supabase, 'get_user_profile', {})
  const uploaded = await uploadImage(user.supabase, 'avatars', user.userId, file as File)
  if ('error' in uploaded) {
    return respond(
      user,
      { ok: false, intent: 'avatar', formError: uploaded.error } satisfies FormFailure,
      { status: 400 },
    )
  }
  try {
    await rpc(user.supabase, 'update_user_profile', {
      p_avatar_url: publicUrl('avatars', uploaded.path),
    })
  } catch (error) {
    await user.supabase.storage.from('avatars').remove([uploaded.path])
    return formRefusal(user, error, { intent: 'avatar' })
  }
  // The previous picture, when it was one of ours, is no longer used.
  const previous = before?.avatar_url?.split('/storage/v1/object/public/avatars/')[1]
  if (previous) await user.supabase.storage.from('avatars').remove([decodeURIComponent(previous)])
  return respond(user, {
    ok: true,
    intent: 'avatar',
    message: 'Picture updated.',
  } satisfies FormResult)
}

async function changeEmail(user: SignedIn, formData: FormData) {
  const form = parseForm(formData, emailSchema)
  if (!form.ok) return respond(user, form, { status: 400 })
  const email = form.data.email.toLowerCase()
  const next = encodeURIComponent('/account?notice=email-changed')
  const { data, error } = await user.supabase.auth.updateUser(
    { email },
    { emailRedirectTo: `${env().APP_URL}/auth/callback?next=${next}` },
  )
  if (error) {
    return respond(
      user,
      {
        ok: false,
        intent: 'email',
        values: { email },
        formError:
          error.code === 'email_exists'
            ? 'Another account already uses this email address.'
            : error.code === 'email_address_invalid' || error.code === 'validation_failed'
              ? 'Enter a valid email address.'
              : error.message,
      } satisfies FormFailure,
      { status: 400 },
    )
  }
  if (data.user?.email?.toLowerCase() === email) {
    // Changed at once (the server does not ask for confirmation): the token follows.
    await user.supabase.auth.refreshSession()
    return respond(user, {
      ok: true,
      intent: 'email',
      message: `Your email address is now ${email}.`,
    } satisfies FormResult)
  }
  return respond(user, {
    ok: true,
    intent: 'email',
    message: `We sent a confirmation link to ${email}. Your address changes when you follow it.`,
  } satisfies FormResult)
}

async function changePassword(user: SignedIn, formData: FormData) {
  const form = parseForm(formData, passwordSchema)
  if (!form.ok) return respond(user, form, { status: 400 })
  if (!(await isCurrentPassword(user.email, form.data.current))) {
    return respond(
      user,
      {
        ok: false,
        intent: 'password',
        fieldErrors: { current: ['This is not your current password'] },
      } satisfies FormFailure,
      { status: 400 },
    )
  }
  const { error } = await user.supabase.auth.updateUser({ password: form.data.password })
  if (error) {
    return respond(
      user,
      {
        ok: false,
        intent: 'password',
        formError:
          error.code === 'same_password'
            ? 'Choose a password different from your current one.'
            : error.code === 'weak_password'
              ? 'Choose a longer password (at least 8 characters).'
              : error.message,
      } satisfies FormFailure,
      { status: 400 },
    )
  }
  return respond(user, {
    ok: true,
    intent: 'password',
    message: 'Password changed.',
  } satisfies FormResult)
}

export default function Account() {
  const data = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  const navigation = useNavigation()
  const submitting = navigation.state !== 'idle' ? navigation.formData?.get('intent') : null
  const pending = (intent: string) => submitting === intent
  const nameResult = resultFor(result, 'name')
  const avatarResult = resultFor(result, 'avatar')
  const emailResult = resultFor(result, 'email')
  const passwordResult = resultFor(result, 'password')
  return (
    <div className="min-h-full">
      <header className="border-b border-zinc-200 bg-white">
        <div className="mx-auto flex max-w-3xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
          <Logo to={data.back?.to ?? '/'} />
          <UserMenu
            email={data.email}
            name={data.name}
            placement="header"
            isPlatformAdmin={data.isPlatformAdmin}
          />
        </div>
      </header>
      <main className="mx-auto max-w-3xl px-4 py-8 sm:px-6 sm:py-10">
        {data.back ? (
          <Link
            to={data.back.to}
            className="text-sm font-medium text-indigo-600 hover:text-indigo-500"
          >
            ← Back to {data.back.label}
          </Link>
        ) : null}
        <div className="mt-4">
          <PageHeader title="Your profile" description="How others see you, and how you sign in." />
        </div>
        {params.get('notice') === 'email-changed' ? (
          <Alert tone="success" className="mb-6">
            Your email address is confirmed and changed to {data.email}.
          </Alert>
        ) : null}

        <Card>
          <CardHeader title="Name and picture" />
          <CardBody className="space-y-6">
            <Form method="post" className="grid gap-4 sm:grid-cols-2" noValidate>
              <input type="hidden" name="intent" value="name" />
              <FormMessage result={nameResult} className="sm:col-span-2" />
              <TextField
                label="First name"
                name="firstName"
                autoComplete="given-name"
                defaultValue={failureOf(nameResult)?.values?.firstName ?? data.firstName}
                errors={failureOf(nameResult)?.fieldErrors?.firstName}
              />
              <TextField
                label="Last name"
                name="lastName"
                autoComplete="family-name"
                defaultValue={failureOf(nameResult)?.values?.lastName ?? data.lastName}
                errors={failureOf(nameResult)?.fieldErrors?.lastName}
              />
              <div className="sm:col-span-2">
                <Button pending={pending('name')}>Save name</Button>
              </div>
            </Form>
            <div className="border-t border-zinc-100 pt-6">
              <FormMessage result={avatarResult} className="mb-4" />
              <Form
                method="post"
                encType="multipart/form-data"
                className="flex flex-wrap items-end gap-4"
                key={data.avatarUrl ?? 'none'}
              >
                <input type="hidden" name="intent" value="avatar" />
                {data.avatarUrl ? (
                  <img
                    src={data.avatarUrl}
                    alt={data.name}
                    className="size-14 rounded-full object-cover ring-1 ring-zinc-200"
                  />
                ) : (
                  <Avatar name={data.name} className="size-14 text-base" />
                )}
                <div>
                  <Label htmlFor="avatar">Picture</Label>
                  <input
                    id="avatar"
                    name="avatar"
                    type="file"
                    accept="image/png,image/jpeg,image/webp,image/gif"
                    aria-invalid={failureOf(avatarResult)?.fieldErrors?.avatar ? true : undefined}
                    aria-describedby="avatar-help"
                    className="mt-1.5 block w-full max-w-xs text-sm text-zinc-700 file:mr-3 file:rounded-lg file:border-0 file:bg-zinc-100 file:px-3 file:py-2 file:text-sm file:font-medium file:text-zinc-800 hover:file:bg-zinc-200"
                  />
                  <p
                    id="avatar-help"
                    className={
                      failureOf(avatarResult)?.fieldErrors?.avatar
                        ? 'mt-1.5 text-sm text-red-600'
                        : 'mt-1.5 text-xs text-zinc-500'
                    }
                  >
                    {failureOf(avatarResult)?.fieldErrors?.avatar?.join(' ') ??
                      'PNG, JPEG, WebP or GIF, up to 1 MB.'}
                  </p>
                </div>
                <Button variant="secondary" pending={pending('avatar')}>
                  Upload picture
                </Button>
              </Form>
            </div>
          </CardBody>
        </Card>

        <Card className="mt-6">
          <CardHeader
            title="Email address"
            description={`You sign in with ${data.email}. Invitations are sent to this address.`}
          />
          <CardBody>
            {data.pendingEmail && !emailResult?.ok ? (
              <Alert tone="info" className="mb-4">
                Waiting for confirmation of {data.pendingEmail}: follow the link we sent there.
              </Alert>
            ) : null}
            <FormMessage result={emailResult} className="mb-4" />
            <Form method="post" className="grid gap-4 sm:max-w-md" noValidate>
              <input type="hidden" name="intent" value="email" />
              <TextField
                label="New email address"
                name="email"
                type="email"
                autoComplete="email"
                defaultValue={failureOf(emailResult)?.values?.email}
                errors={failureOf(emailResult)?.fieldErrors?.email}
                description="We send a link to the new address; it changes when you follow it."
              />
              <div>
                <Button variant="secondary" pending={pending('email')}>
                  Change email
                </Button>
              </div>
            </Form>
          </CardBody>
        </Card>

        <Card className="mt-6">
          <CardHeader title="Password" />
          <CardBody>
            <FormMessage result={passwordResult} className="mb-4" />
            <Form
              method="post"
              className="grid gap-4 sm:max-w-md"
              noValidate
              key={passwordResult?.ok ? 'changed' : 'form'}
            >
              <input type="hidden" name="intent" value="password" />
              <TextField
                label="Current password"
                name="current"
                type="password"
                autoComplete="current-password"
                errors={failureOf(passwordResult)?.fieldErrors?.current}
              />
              <TextField
                label="New password"
                name="password"
                type="password"
                autoComplete="new-password"
                description="At least 8 characters."
                errors={failureOf(passwordResult)?.fieldErrors?.password}
              />
              <TextField
                label="Confirm new password"
                name="confirm"
                type="password"
                autoComplete="new-password"
                errors={failureOf(passwordResult)?.fieldErrors?.confirm}
              />
              <div>
                <Button variant="secondary" pending={pending('password')}>
                  Change password
                </Button>
              </div>
            </Form>
          </CardBody>
        </Card>
      </main>
    </div>
  )
}
