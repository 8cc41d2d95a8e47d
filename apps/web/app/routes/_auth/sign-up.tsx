import type { ActionFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData } from '@remix-run/react'
import { z } from 'zod'
import { Alert } from '#app/components/ui/alert.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { TextField } from '#app/components/ui/field.tsx'
import { parseForm } from '#app/lib/forms.server.ts'
import { failureOf } from '#app/lib/forms.ts'
import { redirectTo, respond } from '#app/lib/http.server.ts'
import { getSession } from '#app/lib/supabase.server.ts'
import { usePending } from '#app/lib/use-pending.ts'

export const meta: MetaFunction = () => [{ title: 'Join · Tenantbase' }]

const INVITE_ONLY =
  'Tenantbase is invite-only: an account is created from an invitation. Open the invitation link from your email, or ask an admin of your organization to invite you.'

/** A token on its own, or any link that ends in /invite/<token>. */
const schema = z.object({
  invitation: z
    .string()
    .trim()
    .min(1, 'An account needs an invitation: paste the link from your invitation email.')
    .transform((value) => value.match(/(?:\/invite\/)?([A-Za-z0-9_-]{20,})\/?(?:[?#].*)?$/)?.[1])
    .pipe(
      z.string({ error: 'This is not an invitation link. Copy the whole link from the email.' }),
    ),
})

export async function action({ request }: ActionFunctionArgs) {
  const session = getSession(request)
  const form = parseForm(await request.formData(), schema)
  if (!form.ok) return respond(session, form, { status: 400 })
  return redirectTo(session, `/invite/${form.data.invitation}`)
}

/**
 * There is no open sign-up: people join through an invitation. This page says so, and takes
 * an invitation link for those who have one but lost the email's button.
 */
export default function SignUp() {
  const result = failureOf(useActionData<typeof action>())
  const pending = usePending()
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight">Join an organization</h1>
      <Alert tone="info" className="mt-4">
        {INVITE_ONLY}
      </Alert>
      <Form method="post" className="mt-6 space-y-4" noValidate>
        <TextField
          label="Invitation link"
          name="invitation"
          placeholder="https://…/invite/…"
          description="Paste the link from your invitation email."
          defaultValue={result?.values?.invitation}
          errors={result?.fieldErrors?.invitation}
        />
        <Button className="w-full" pending={pending}>
          Continue
        </Button>
      </Form>
      <p className="mt-6 text-center text-sm text-zinc-500">
        Already have an account?{' '}
        <Link to="/sign-in" className="font-medium text-indigo-600 hover:text-indigo-500">
          Sign in
        </Link>
      </p>
    </>
  )
}
