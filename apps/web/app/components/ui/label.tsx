import type { LabelHTMLAttributes } from 'react'
import { cn } from '#app/components/ui/cn.ts'

export function Label({ className, ...props }: LabelHTMLAttributes<HTMLLabelElement>) {
  // biome-ignore lint/a11y/noLabelWithoutControl: callers pass htmlFor
  return <label className={cn('block text-sm font-medium text-zinc-800', className)} {...props} />
}
