import { Outlet } from '@remix-run/react'
import { Logo } from '#app/components/logo.tsx'

/** Signed-out pages: one card in the middle of the screen. */
export default function AuthLayout() {
  return (
    <div className="flex min-h-full flex-col items-center px-4 py-10 sm:justify-center sm:py-16">
      <div className="mb-8">
        <Logo />
      </div>
      <main className="w-full max-w-md rounded-2xl bg-white p-6 shadow-sm ring-1 ring-zinc-200 sm:p-8">
        <Outlet />
      </main>
    </div>
  )
}
