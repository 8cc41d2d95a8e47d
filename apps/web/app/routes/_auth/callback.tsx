import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { Alert } from '#app/components/ui/alert.tsx'
import { LinkButton } from '#app/components/ui/button.tsx'
import { redirectTo, respond, safeRedirectPath } from '#app/lib/http.server.ts'
import { getSession } from '#app/lib/supabase.server.ts'

export const meta: MetaFunction = () => [{ title: 'Signing you in · Tenantbase' }]

/**
 * Where emailed links land (PKCE): `?code=…` is exchanged for a session with the verifier
 * cookie set when the link was requested, then the person continues to `next`.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const session = getSession(request)
  const url = new URL(request.url)
  const code = url.searchParams.get('code')
  const next = safeRedirectPath(url.searchParams.get('next'))
  if (code) {
    const { error } = await session.supabase.auth.exchangeCodeForSession(code)
    if (!error) return redirectTo(session, next)
    return respond(
      session,
      {
        problem:
          error.code === 'flow_state_not_found' || error.code === 'bad_code_verifier'
            ? 'Open the link in the same browser where you asked for it, or ask for a new one.'
            : 'This link is invalid or has expired. Ask for a new one.',
        retry: next,
      },
      { status: 400 },
    )
  }
  const description = url.searchParams.get('error_description')
  return respond(
    session,
    {
      problem: description ?? 'This link is invalid or has expired. Ask for a new one.',
      retry: next,
    },
    { status: 400 },
  )
}

export default function Callback() {
  const { problem, retry } = useLoaderData<typeof loader>()
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight">This link did not work</h1>
      <Alert tone="error" className="mt-4">
        {problem}
      </Alert>
      <div className="mt-6 flex flex-wrap gap-3">
        {retry === '/reset-password' ? (
          <LinkButton to="/forgot-password">Send a new link</LinkButton>
        ) : null}
        <LinkButton to="/sign-in" variant="secondary">
          Sign in
        </LinkButton>
      </div>
    </>
  )
}
