import type { ActionFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData } from '@remix-run/react'
import { z } from 'zod'
import { Alert } from '#app/components/ui/alert.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { TextField } from '#app/components/ui/field.tsx'
import { env } from '#app/lib/env.server.ts'
import { emailField, parseForm } from '#app/lib/forms.server.ts'
import { type FormResult, failureOf } from '#app/lib/forms.ts'
import { respond } from '#app/lib/http.server.ts'
import { getSession } from '#app/lib/supabase.server.ts'
import { usePending } from '#app/lib/use-pending.ts'

export const meta: MetaFunction = () => [{ title: 'Reset your password · Tenantbase' }]

const schema = z.object({ email: emailField })

export async function action({ request }: ActionFunctionArgs) {
  const session = getSession(request)
  const form = parseForm(await request.formData(), schema)
  if (!form.ok) return respond(session, form, { status: 400 })
  // PKCE: the code verifier is stored in a cookie now; /auth/callback exchanges the emailed
  // code with it, so the link works in the browser that asked for it.
  const { error } = await session.supabase.auth.resetPasswordForEmail(form.data.email, {
    redirectTo: `${env().APP_URL}/auth/callback?next=/reset-password`,
  })
  if (error && error.status !== 429 && error.code !== 'over_email_send_rate_limit') {
    // Whether an account exists is never revealed; a failure to send is.
    return respond(
      session,
      {
        ok: false,
        formError: 'We could not send the email. Try again in a moment.',
        values: { email: form.data.email },
      } satisfies FormResult,
      { status: 502 },
    )
  }
  return respond(session, {
    ok: true,
    message: `If an account exists for ${form.data.email}, we sent it a link to choose a new password. The link works in this browser.`,
  } satisfies FormResult)
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>()
  const failure = failureOf(result)
  const pending = usePending()
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight">Reset your password</h1>
      <p className="mt-1 text-sm text-zinc-500">
        Enter your email and we will send you a link to choose a new password.
      </p>
      {result?.ok ? (
        <Alert tone="success" className="mt-5">
          {result.message}
        </Alert>
      ) : null}
      {failure?.formError ? (
        <Alert tone="error" className="mt-5">
          {failure.formError}
        </Alert>
      ) : null}
      <Form method="post" className="mt-6 space-y-4" noValidate>
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          defaultValue={failure?.values?.email}
          errors={failure?.fieldErrors?.email}
        />
        <Button className="w-full" pending={pending}>
          Send reset link
        </Button>
      </Form>
      <p className="mt-6 text-center text-sm text-zinc-500">
        <Link to="/sign-in" className="font-medium text-indigo-600 hover:text-indigo-500">
          Back to sign in
        </Link>
      </p>
    </>
  )
}
