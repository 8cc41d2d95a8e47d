import { Form } from '@remix-run/react'
import type { ReactNode } from 'react'
import { buttonClasses } from '#app/components/ui/button.tsx'
import { cn } from '#app/components/ui/cn.ts'

/**
 * A destructive action behind a second click: the first opens a small panel (a <details>, so
 * no JavaScript is needed) that says what will happen, the second submits the form.
 */
export function Confirm({
  label,
  title,
  children,
  confirmLabel,
  fields,
  className,
}: {
  /** The first button's text (e.g. "Remove"). */
  label: ReactNode
  /** An accessible name for the first button when `label` alone is ambiguous in a list. */
  title?: string
  children: ReactNode
  confirmLabel: string
  /** Hidden fields of the form (intent, target, ...). */
  fields: Record<string, string>
  className?: string
}) {
  return (
    <details className={cn('group relative inline-block', className)}>
      <summary
        aria-label={title}
        className={cn(
          buttonClasses('ghost', 'sm'),
          'cursor-pointer list-none text-red-700 hover:bg-red-50 hover:text-red-800 [&::-webkit-details-marker]:hidden',
        )}
      >
        {label}
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-72 rounded-xl bg-white p-4 text-left shadow-lg ring-1 ring-zinc-200">
        <div className="text-sm text-zinc-700">{children}</div>
        <Form method="post" className="mt-3 flex justify-end">
          {Object.entries(fields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <button type="submit" className={buttonClasses('danger', 'sm')}>
            {confirmLabel}
          </button>
        </Form>
      </div>
    </details>
  )
}
