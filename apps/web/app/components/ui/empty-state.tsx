import type { ReactNode } from 'react'

export function EmptyState({
  title,
  children,
  action,
}: {
  title: ReactNode
  children?: ReactNode
  action?: ReactNode
}) {
  return (
    <div className="flex flex-col items-center px-6 py-12 text-center">
      <div
        aria-hidden="true"
        className="mb-3 grid size-10 place-items-center rounded-full bg-zinc-100 text-zinc-400"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-5">
          <path d="M3 4.75A1.75 1.75 0 0 1 4.75 3h10.5A1.75 1.75 0 0 1 17 4.75v10.5A1.75 1.75 0 0 1 15.25 17H4.75A1.75 1.75 0 0 1 3 15.25V4.75Zm1.5 6.75v3.75c0 .14.11.25.25.25h10.5a.25.25 0 0 0 .25-.25V11.5h-2.69a.75.75 0 0 0-.67.41l-.22.45a2.25 2.25 0 0 1-2.01 1.24H9.59a2.25 2.25 0 0 1-2.01-1.24l-.22-.45a.75.75 0 0 0-.67-.41H4.5Z" />
        </svg>
      </div>
      <p className="text-sm font-semibold text-zinc-900">{title}</p>
      {children ? <div className="mt-1 max-w-sm text-sm text-zinc-500">{children}</div> : null}
      {action ? <div className="mt-4">{action}</div> : null}
    </div>
  )
}
