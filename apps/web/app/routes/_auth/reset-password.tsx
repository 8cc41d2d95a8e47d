import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { Alert } from '#app/components/ui/alert.tsx'
import { Button, LinkButton } from '#app/components/ui/button.tsx'
import { TextField } from '#app/components/ui/field.tsx'
import { parseForm, passwordField } from '#app/lib/forms.server.ts'
import { failureOf } from '#app/lib/forms.ts'
import { redirectTo, respond } from '#app/lib/http.server.ts'
import { getUser } from '#app/lib/supabase.server.ts'
import { usePending } from '#app/lib/use-pending.ts'

export const meta: MetaFunction = () => [{ title: 'Choose a new password · Tenantbase' }]

const schema = z
  .object({ password: passwordField, confirm: z.string() })
  .refine((v) => v.password === v.confirm, {
    path: ['confirm'],
    message: 'The passwords do not match',
  })

/** Reached from the recovery email through /auth/callback, which signed the person in. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request)
  return respond(user, { email: user.claims ? user.email : null })
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await getUser(request)
  if (!user.claims) return redirectTo(user, '/forgot-password')
  const form = parseForm(await request.formData(), schema)
  if (!form.ok) return respond(user, form, { status: 400 })
  const { error } = await user.supabase.auth.updateUser({ password: form.data.password })
  if (error) {
    return respond(
      user,
      {
        ok: false as const,
        formError:
          error.code === 'same_password'
            ? 'Choose a password different from your current one.'
            : error.code === 'weak_password'
              ? 'Choose a longer password (at least 8 characters).'
              : error.message,
      },
      { status: 400 },
    )
  }
  return redirectTo(user, '/?notice=password-updated')
}

export default function ResetPassword() {
  const { email } = useLoaderData<typeof loader>()
  const result = failureOf(useActionData<typeof action>())
  const pending = usePending()
  if (!email) {
    return (
      <>
        <h1 className="text-xl font-semibold tracking-tight">Choose a new password</h1>
        <Alert tone="warning" className="mt-4">
          Open the link from your password reset email first. Links expire after a while and work
          once.
        </Alert>
        <LinkButton to="/forgot-password" className="mt-6">
          Send a reset link
        </LinkButton>
      </>
    )
  }
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight">Choose a new password</h1>
      <p className="mt-1 text-sm text-zinc-500">For {email}.</p>
      {result?.formError ? (
        <Alert tone="error" className="mt-5">
          {result.formError}
        </Alert>
      ) : null}
      <Form method="post" className="mt-6 space-y-4" noValidate>
        <TextField
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          description="At least 8 characters."
          errors={result?.fieldErrors?.password}
        />
        <TextField
          label="Confirm new password"
          name="confirm"
          type="password"
          autoComplete="new-password"
          errors={result?.fieldErrors?.confirm}
        />
        <Button className="w-full" pending={pending}>
          Save password
        </Button>
      </Form>
    </>
  )
}
