import { cn } from '#app/components/ui/cn.ts'

/** A determinate progress bar (0–1) with an accessible name. */
export function Progress({
  value,
  label,
  tone = 'indigo',
  className,
}: {
  value: number
  label: string
  tone?: 'indigo' | 'green' | 'red'
  className?: string
}) {
  const percent = Math.round(Math.min(Math.max(value, 0), 1) * 100)
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      className={cn('h-1.5 w-full overflow-hidden rounded-full bg-zinc-100', className)}
    >
      <div
        className={cn(
          'h-full rounded-full transition-[width] duration-150',
          tone === 'green' ? 'bg-emerald-500' : tone === 'red' ? 'bg-red-500' : 'bg-indigo-600',
        )}
        style={{ width: `${percent}%` }}
      />
    </div>
  )
}
