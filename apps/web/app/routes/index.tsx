import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { Logo } from '#app/components/logo.tsx'
import { Alert } from '#app/components/ui/alert.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { loaderRefusal } from '#app/lib/errors.server.ts'
import { redirectTo, respond } from '#app/lib/http.server.ts'
import { listMyOrganizations } from '#app/lib/org.server.ts'
import { getUser } from '#app/lib/supabase.server.ts'

export const meta: MetaFunction = () => [{ title: 'Tenantbase' }]

/** `/`: signed-in people go to their active organization; everyone else signs in. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request)
  if (!user.claims) return redirectTo(user, '/sign-in')
  const organizations = await listMyOrganizations(user)
  const target = organizations.find((o) => o.isActive) ?? organizations[0]
  const notice = new URL(request.url).searchParams.get('notice')
  if (target) {
    return redirectTo(
      user,
      `/org/${target.slug}/dashboard${notice ? `?notice=${encodeURIComponent(notice)}` : ''}`,
    )
  }
  // Operators are members of no organization: their home is the platform admin.
  if (await rpc(user.supabase, 'is_platform_admin', {}).catch(loaderRefusal(user))) {
    return redirectTo(user, '/admin')
  }
  return respond(user, { email: user.email, notice })
}

/** Signed in, but a member of no organization (never invited, or removed from all). */
export default function NoOrganization() {
  const { email, notice } = useLoaderData<typeof loader>()
  return (
    <div className="flex min-h-full flex-col items-center px-4 py-16">
      <Logo />
      <main className="mt-8 w-full max-w-md rounded-2xl bg-white p-8 shadow-sm ring-1 ring-zinc-200">
        <h1 className="text-xl font-semibold tracking-tight">You are not in any organization</h1>
        {notice === 'password-updated' ? (
          <Alert tone="success" className="mt-4">
            Your password was updated.
          </Alert>
        ) : null}
        <p className="mt-2 text-sm text-zinc-600">
          You are signed in as <strong className="font-medium text-zinc-900">{email}</strong>, but
          no organization lists you as a member. Ask an admin of your organization to invite you;
          the invitation link brings you straight in.
        </p>
        <Form method="post" action="/sign-out" className="mt-6">
          <Button variant="secondary">Sign out</Button>
        </Form>
      </main>
    </div>
  )
}
