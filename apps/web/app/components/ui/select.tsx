import { forwardRef, type SelectHTMLAttributes } from 'react'
import { cn } from '#app/components/ui/cn.ts'
import { inputClasses } from '#app/components/ui/input.tsx'

type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & {
  /** A shorter control for table rows. */
  compact?: boolean
}

export const Select = forwardRef<HTMLSelectElement, SelectProps>(function Select(
  { className, compact, ...props },
  ref,
) {
  return (
    <select
      ref={ref}
      className={cn(inputClasses, compact ? 'h-8 py-1 pr-8' : 'h-10 pr-8', className)}
      {...props}
    />
  )
})
