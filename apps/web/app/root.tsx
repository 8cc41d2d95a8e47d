import type { LinksFunction, MetaFunction } from '@remix-run/node'
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
} from '@remix-run/react'
import type { ReactNode } from 'react'
import { LinkButton } from '#app/components/ui/button.tsx'
import { useCloseMenus } from '#app/lib/use-close-menus.ts'
import stylesheet from '#app/tailwind.css?url'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export const meta: MetaFunction = () => [{ title: 'Tenantbase' }]

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="h-full bg-zinc-50 font-sans text-zinc-900">
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  )
}

export default function App() {
  useCloseMenus()
  return <Outlet />
}

/** The last resort: a page for errors no route handled. */
export function ErrorBoundary() {
  const error = useRouteError()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const message =
    isRouteErrorResponse(error) && typeof error.data?.message === 'string'
      ? error.data.message
      : status === 404
        ? 'There is nothing at this address.'
        : 'Something went wrong on our side. Try again in a moment.'
  if (!isRouteErrorResponse(error)) console.error(error)
  return (
    <main className="grid min-h-full place-items-center px-6 py-24">
      <div className="text-center">
        <p className="text-sm font-semibold text-indigo-600">{status}</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">
          {status === 404
            ? 'Page not found'
            : status === 403
              ? 'Not allowed'
              : 'Something went wrong'}
        </h1>
        <p className="mt-3 text-sm text-zinc-600">{message}</p>
        <LinkButton to="/" variant="secondary" className="mt-6">
          Go to your organizations
        </LinkButton>
      </div>
    </main>
  )
}
