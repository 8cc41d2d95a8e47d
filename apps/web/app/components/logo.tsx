import { Link } from '@remix-run/react'

export function Logo({ to = '/' }: { to?: string }) {
  return (
    <Link
      to={to}
      className="inline-flex items-center gap-2 rounded-md text-[15px] font-semibold tracking-tight text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
    >
      <svg aria-hidden="true" viewBox="0 0 32 32" className="size-6">
        <rect width="32" height="32" rx="8" fill="#4f46e5" />
        <path d="M16 7l9 9-9 9-9-9z" fill="#fff" />
      </svg>
      Tenantbase
    </Link>
  )
}
