import { forwardRef, type SelectHTMLAttributes } from 'react'
import { cn } from '#app/components/ui/cn.ts'
import { inputClasses } from '#app/components/ui/input.tsx'

export const Select = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement>>(
  function Select({ className, ...props }, ref) {
    return <select ref={ref} className={cn(inputClasses, 'h-10 pr-8', className)} {...props} />
  },
)
