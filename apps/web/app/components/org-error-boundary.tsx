import { isRouteErrorResponse, useParams, useRouteError } from '@remix-run/react'
import { Alert } from '#app/components/ui/alert.tsx'
import { LinkButton } from '#app/components/ui/button.tsx'

/**
 * The error page of a screen inside an organization: it keeps the organization's layout and
 * says what happened in the database's words (export it as `ErrorBoundary` from each route).
 */
export function OrgErrorBoundary() {
  const error = useRouteError()
  const { slug } = useParams()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const message =
    isRouteErrorResponse(error) && typeof error.data?.message === 'string'
      ? error.data.message
      : 'Something went wrong on our side. Try again in a moment.'
  if (!isRouteErrorResponse(error)) console.error(error)
  const title =
    status === 403
      ? 'You cannot open this page'
      : status === 404
        ? 'Not found'
        : 'Something went wrong'
  return (
    <div className="max-w-xl">
      <h1 className="text-2xl font-semibold tracking-tight text-zinc-900">{title}</h1>
      <Alert tone={status >= 500 ? 'error' : 'warning'} className="mt-4">
        {message}
      </Alert>
      {status === 403 && slug ? (
        // Trying again will not help: offer the way back instead.
        <LinkButton to={`/org/${slug}/dashboard`} variant="secondary" className="mt-6">
          Go to the dashboard
        </LinkButton>
      ) : (
        <LinkButton to="." relative="path" variant="secondary" className="mt-6" reloadDocument>
          Try again
        </LinkButton>
      )}
    </div>
  )
}
