import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { Alert } from '#app/components/ui/alert.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { TextField } from '#app/components/ui/field.tsx'
import { emailField, parseForm } from '#app/lib/forms.server.ts'
import { type FormFailure, failureOf } from '#app/lib/forms.ts'
import { redirectTo, respond, safeRedirectPath } from '#app/lib/http.server.ts'
import { getSession, getUser } from '#app/lib/supabase.server.ts'
import { usePending } from '#app/lib/use-pending.ts'

export const meta: MetaFunction = () => [{ title: 'Sign in · Tenantbase' }]

const schema = z.object({
  email: emailField,
  password: z.string().min(1, 'Enter your password'),
  redirectTo: z.string().optional(),
})

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request)
  const next = safeRedirectPath(new URL(request.url).searchParams.get('redirectTo'))
  if (user.claims) return redirectTo(user, next)
  return respond(user, null)
}

export async function action({ request }: ActionFunctionArgs) {
  const session = getSession(request)
  const form = parseForm(await request.formData(), schema)
  if (!form.ok) return respond(session, form, { status: 400 })
  const { error } = await session.supabase.auth.signInWithPassword({
    email: form.data.email,
    password: form.data.password,
  })
  if (error) {
    const failure: FormFailure = {
      ok: false,
      formError:
        error.code === 'invalid_credentials'
          ? 'The email or password is incorrect.'
          : error.code === 'email_not_confirmed'
            ? 'Confirm your email address first: follow the link we sent you.'
            : error.message,
      values: { email: form.data.email },
    }
    return respond(session, failure, { status: 400 })
  }
  return redirectTo(session, safeRedirectPath(form.data.redirectTo))
}

export default function SignIn() {
  const result = failureOf(useActionData<typeof action>())
  const [params] = useSearchParams()
  const pending = usePending()
  const notice = params.get('notice')
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight">Sign in to your account</h1>
      <p className="mt-1 text-sm text-zinc-500">
        Welcome back. Use the email you were invited with.
      </p>
      {notice === 'signed-out' ? (
        <Alert tone="success" className="mt-5">
          You have signed out.
        </Alert>
      ) : null}
      {result?.formError ? (
        <Alert tone="error" className="mt-5">
          {result.formError}
        </Alert>
      ) : null}
      <Form method="post" className="mt-6 space-y-4" noValidate>
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? ''} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={result?.values?.email}
          errors={result?.fieldErrors?.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          errors={result?.fieldErrors?.password}
        />
        <div className="flex items-center justify-end">
          <Link
            to="/forgot-password"
            className="text-sm font-medium text-indigo-600 hover:text-indigo-500"
          >
            Forgot your password?
          </Link>
        </div>
        <Button className="w-full" pending={pending}>
          Sign in
        </Button>
      </Form>
      <p className="mt-6 text-center text-sm text-zinc-500">
        New here?{' '}
        <Link to="/sign-up" className="font-medium text-indigo-600 hover:text-indigo-500">
          Join with an invitation
        </Link>
      </p>
    </>
  )
}
