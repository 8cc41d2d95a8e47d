import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { z } from 'zod'
import { Alert } from '#app/components/ui/alert.tsx'
import { Button, LinkButton } from '#app/components/ui/button.tsx'
import { TextField } from '#app/components/ui/field.tsx'
import { describeError } from '#app/lib/errors.server.ts'
import { formatDate } from '#app/lib/format.ts'
import { parseForm, passwordField } from '#app/lib/forms.server.ts'
import { type FormFailure, failureOf } from '#app/lib/forms.ts'
import { redirectTo, respond } from '#app/lib/http.server.ts'
import { type InvitationDetails, readInvitation } from '#app/lib/invitation-state.server.ts'
import { listMyOrganizations } from '#app/lib/org.server.ts'
import { keepSeatsInStep } from '#app/lib/seats.server.ts'
import { getUser, refreshClaims, type SignedIn } from '#app/lib/supabase.server.ts'
import { usePending } from '#app/lib/use-pending.ts'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title:
      data?.invitation && data.invitation.status === 'pending'
        ? `Join ${data.invitation.organizationName} · Tenantbase`
        : 'Invitation · Tenantbase',
  },
]

/**
 * The page an invitation email links to. It reads the invitation (get_invitation_details) and
 * offers the one thing that can happen next: a new person creates their account with the
 * token, a signed-in person with the invited email accepts, everyone else is told why not.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request)
  const invitation = await readInvitation(user.supabase, params.token ?? '')
  const viewer = user.claims ? { email: user.email } : null
  const status = !invitation ? 404 : invitation.status === 'pending' ? 200 : 410
  return respond(user, { invitation, viewer }, { status })
}

const signUpSchema = z.object({
  intent: z.literal('sign-up'),
  firstName: z.string().trim().min(1, 'Enter your first name').max(100),
  lastName: z.string().trim().max(100).optional(),
  password: passwordField,
})

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? ''
  const user = await getUser(request)
  const formData = await request.formData()
  const invitation = await readInvitation(user.supabase, token)
  if (invitation?.status !== 'pending') {
    // The invitation changed since the page was shown: show its state again.
    return redirectTo(user, `/invite/${encodeURIComponent(token)}`)
  }
  if (formData.get('intent') === 'accept') {
    if (!user.claims)
      return redirectTo(user, `/sign-in?redirectTo=/invite/${encodeURIComponent(token)}`)
    return accept(user, token)
  }
  const form = parseForm(formData, signUpSchema)
  if (!form.ok) return respond(user, form, { status: 400 })
  const { data, error } = await user.supabase.auth.signUp({
    email: invitation.email,
    password: form.data.password,
    options: { data: { invitation_token: token } },
  })
  if (error || !data.session) {
    const failure: FormFailure = {
      ok: false,
      intent: 'sign-up',
      values: { firstName: form.data.firstName, lastName: form.data.lastName ?? '' },
      formError:
        error?.code === 'user_already_exists'
          ? `An account for ${invitation.email} already exists. Sign in to accept the invitation.`
          : error?.code === 'weak_password'
            ? 'Choose a longer password (at least 8 characters).'
            : 'This invitation could not be used to create your account; it may have just been used, cancelled or expired. Reload the page to see where it stands.',
    }
    return respond(user, failure, { status: error?.status === 422 ? 409 : 400 })
  }
  // The account exists and the membership was created with it; this request's client now
  // acts as the new person. Name them, then open the organization they joined.
  await rpc(user.supabase, 'update_user_profile', {
    p_first_name: form.data.firstName,
    p_last_name: form.data.lastName || null,
  })
  const org = (await listMyOrganizations(user)).find((o) => o.isActive)
  if (org) await keepSeatsInStep(org.id)
  return redirectTo(user, org ? `/org/${org.slug}/dashboard` : '/')
}

async function accept(user: SignedIn, token: string) {
  try {
    const [joined] = await rpc(user.supabase, 'accept_invitation', { p_token: token })
    if (joined?.organization_id) {
      await keepSeatsInStep(joined.organization_id)
      await rpc(user.supabase, 'set_active_organization', { p_org_id: joined.organization_id })
      await refreshClaims(user)
    }
    const org = (await listMyOrganizations(user)).find((o) => o.id === joined?.organization_id)
    return redirectTo(user, org ? `/org/${org.slug}/dashboard` : '/')
  } catch (error) {
    const refusal = describeError(error)
    return respond(
      user,
      { ok: false, intent: 'accept', formError: refusal.message } satisfies FormFailure,
      { status: refusal.status },
    )
  }
}

export default function Invitation() {
  const { invitation, viewer } = useLoaderData<typeof loader>()
  if (!invitation) return <InvalidInvitation />
  if (invitation.status !== 'pending')
    return <UnusableInvitation invitation={invitation} viewer={viewer} />
  return (
    <>
      <p className="text-sm font-medium text-indigo-600">Invitation</p>
      <h1 className="mt-1 text-xl font-semibold tracking-tight">
        Join {invitation.organizationName}
      </h1>
      <InvitationSummary invitation={invitation} />
      {viewer ? (
        viewer.email.toLowerCase() === invitation.email.toLowerCase() ? (
          <AcceptForm invitation={invitation} />
        ) : (
          <WrongAccount invitation={invitation} viewerEmail={viewer.email} />
        )
      ) : (
        <SignUpForm invitation={invitation} />
      )}
    </>
  )
}

function InvitationSummary({ invitation }: { invitation: InvitationDetails }) {
  return (
    <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 rounded-lg bg-zinc-50 px-4 py-3 text-sm ring-1 ring-zinc-200 ring-inset">
      <dt className="text-zinc-500">Organization</dt>
      <dd className="font-medium text-zinc-900">{invitation.organizationName}</dd>
      {invitation.unitName ? (
        <>
          <dt className="text-zinc-500">Unit</dt>
          <dd className="font-medium text-zinc-900">{invitation.unitName}</dd>
        </>
      ) : null}
      <dt className="text-zinc-500">Role</dt>
      <dd className="font-medium text-zinc-900">{invitation.roleLabel}</dd>
      <dt className="text-zinc-500">Invited by</dt>
      <dd className="font-medium text-zinc-900">
        {invitation.inviterName ?? 'The Tenantbase team'}
      </dd>
      <dt className="text-zinc-500">For</dt>
      <dd className="font-medium break-all text-zinc-900">{invitation.email}</dd>
      <dt className="text-zinc-500">Expires</dt>
      <dd className="text-zinc-900">{formatDate(invitation.expiresAt)}</dd>
    </dl>
  )
}

function SignUpForm({ invitation }: { invitation: InvitationDetails }) {
  const result = failureOf(useActionData<typeof action>())
  const pending = usePending('sign-up')
  const { pathname } = useLocation()
  return (
    <>
      <h2 className="mt-6 text-base font-semibold">Create your account</h2>
      {result?.formError ? (
        <Alert tone="error" className="mt-3">
          {result.formError}
        </Alert>
      ) : null}
      <Form method="post" className="mt-4 space-y-4" noValidate>
        <input type="hidden" name="intent" value="sign-up" />
        <TextField
          label="Email"
          name="email"
          type="email"
          value={invitation.email}
          readOnly
          disabled
          description="The invitation is for this address."
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="First name"
            name="firstName"
            autoComplete="given-name"
            defaultValue={result?.values?.firstName}
            errors={result?.fieldErrors?.firstName}
          />
          <TextField
            label="Last name"
            name="lastName"
            autoComplete="family-name"
            defaultValue={result?.values?.lastName}
            errors={result?.fieldErrors?.lastName}
          />
        </div>
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          description="At least 8 characters."
          errors={result?.fieldErrors?.password}
        />
        <Button className="w-full" pending={pending}>
          Create account and join
        </Button>
      </Form>
      <p className="mt-6 text-center text-sm text-zinc-500">
        Already have an account?{' '}
        <Link
          to={`/sign-in?redirectTo=${encodeURIComponent(pathname)}`}
          className="font-medium text-indigo-600 hover:text-indigo-500"
        >
          Sign in to accept
        </Link>
      </p>
    </>
  )
}

function AcceptForm({ invitation }: { invitation: InvitationDetails }) {
  const result = failureOf(useActionData<typeof action>())
  const pending = usePending('accept')
  return (
    <>
      {result?.formError ? (
        <Alert tone="error" className="mt-5">
          {result.formError}
        </Alert>
      ) : null}
      <p className="mt-5 text-sm text-zinc-600">
        You are signed in as{' '}
        <strong className="font-medium text-zinc-900">{invitation.email}</strong>.
      </p>
      <Form method="post" className="mt-4">
        <input type="hidden" name="intent" value="accept" />
        <Button className="w-full" pending={pending}>
          Accept and join {invitation.organizationName}
        </Button>
      </Form>
    </>
  )
}

function WrongAccount({
  invitation,
  viewerEmail,
}: {
  invitation: InvitationDetails
  viewerEmail: string
}) {
  return (
    <>
      <Alert tone="warning" title="This invitation is for someone else" className="mt-5">
        It was sent to <strong>{invitation.email}</strong>, and you are signed in as{' '}
        <strong>{viewerEmail}</strong>. Sign out, then open the link again to use it as{' '}
        {invitation.email}.
      </Alert>
      <SignOutAndReturn label="Sign out and continue" />
    </>
  )
}

function SignOutAndReturn({ label }: { label: string }) {
  const { pathname } = useLocation()
  return (
    <Form method="post" action="/sign-out" className="mt-5">
      <input type="hidden" name="redirectTo" value={pathname} />
      <Button variant="secondary" className="w-full">
        {label}
      </Button>
    </Form>
  )
}

function UnusableInvitation({
  invitation,
  viewer,
}: {
  invitation: InvitationDetails
  viewer: { email: string } | null
}) {
  const org = invitation.organizationName
  const inviter = invitation.inviterName ?? `an admin of ${org}`
  const content = {
    expired: {
      title: 'This invitation has expired',
      body: `The invitation to join ${org} expired on ${formatDate(invitation.expiresAt)}. Ask ${inviter} to send you a new one.`,
    },
    revoked: {
      title: 'This invitation was cancelled',
      body: `${org} cancelled this invitation, so it can no longer be used. If you still need access, ask ${inviter} for a new invitation.`,
    },
    accepted: {
      title: 'This invitation has already been used',
      body: `The invitation to join ${org} was accepted, and each invitation works once. Sign in as ${invitation.email} to open ${org}.`,
    },
  }[invitation.status as 'expired' | 'revoked' | 'accepted']
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight">{content.title}</h1>
      <Alert tone="warning" className="mt-4">
        {content.body}
      </Alert>
      <div className="mt-6 flex flex-wrap gap-3">
        {viewer ? (
          <LinkButton to="/">Go to your organizations</LinkButton>
        ) : (
          // Only a used invitation means the person has an account to sign in to.
          <LinkButton
            to="/sign-in"
            variant={invitation.status === 'accepted' ? 'primary' : 'secondary'}
          >
            Sign in
          </LinkButton>
        )}
      </div>
    </>
  )
}

function InvalidInvitation() {
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight">This invitation link is not valid</h1>
      <Alert tone="error" className="mt-4">
        We could not find an invitation for this link. Check that you opened the whole link from the
        email (some mail apps break long links), or ask the person who invited you to send it again.
      </Alert>
      <div className="mt-6 flex flex-wrap gap-3">
        <LinkButton to="/sign-in" variant="secondary">
          Sign in
        </LinkButton>
      </div>
    </>
  )
}
