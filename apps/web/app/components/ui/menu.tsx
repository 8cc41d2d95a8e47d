import type { ReactNode } from 'react'
import { cn } from '#app/components/ui/cn.ts'

/**
 * A disclosure menu built on <details>: it opens and closes without JavaScript and with the
 * keyboard (Enter/Space on the summary). Put links or buttons inside.
 */
export function Menu({
  label,
  children,
  align = 'left',
  side = 'bottom',
  className,
  summaryClassName,
}: {
  label: ReactNode
  children: ReactNode
  align?: 'left' | 'right'
  /** Open below the button, or above it (menus at the bottom of the screen). */
  side?: 'top' | 'bottom'
  className?: string
  summaryClassName?: string
}) {
  return (
    <details className={cn('group relative', className)}>
      <summary
        className={cn(
          'flex cursor-pointer list-none items-center gap-2 rounded-lg focus-visible:outline-2 focus-visible:outline-indigo-600 [&::-webkit-details-marker]:hidden',
          summaryClassName,
        )}
      >
        {label}
        <svg
          aria-hidden="true"
          viewBox="0 0 20 20"
          fill="currentColor"
          className="ml-auto size-4 shrink-0 text-zinc-400 transition-transform group-open:rotate-180"
        >
          <path
            fillRule="evenodd"
            d="M5.22 8.22a.75.75 0 0 1 1.06 0L10 11.94l3.72-3.72a.75.75 0 1 1 1.06 1.06l-4.25 4.25a.75.75 0 0 1-1.06 0L5.22 9.28a.75.75 0 0 1 0-1.06Z"
            clipRule="evenodd"
          />
        </svg>
      </summary>
      <div
        className={cn(
          'absolute z-20 min-w-56 rounded-xl bg-white p-1.5 shadow-lg ring-1 ring-zinc-200',
          side === 'top' ? 'bottom-full mb-2' : 'mt-2',
          align === 'right' ? 'right-0' : 'left-0',
        )}
      >
        {children}
      </div>
    </details>
  )
}

export const menuItemClasses =
  'flex w-full items-center gap-2 rounded-lg px-2.5 py-2 text-left text-sm text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-600'
