import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirectTo, safeRedirectPath } from '#app/lib/http.server.ts'
import { getSession } from '#app/lib/supabase.server.ts'

/** Signing out ends the session at the Auth server and clears the cookies. POST only. */
export async function action({ request }: ActionFunctionArgs) {
  const session = getSession(request)
  const form = await request.formData()
  await session.supabase.auth.signOut({ scope: 'local' })
  const back = form.get('redirectTo')
  return redirectTo(session, back ? safeRedirectPath(back) : '/sign-in?notice=signed-out')
}

// A link to /sign-out (no form) lands on the app, still signed in: signing out needs a POST.
export async function loader(_: LoaderFunctionArgs) {
  return new Response(null, { status: 303, headers: { location: '/' } })
}
