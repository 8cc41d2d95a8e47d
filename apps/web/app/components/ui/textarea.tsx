import { forwardRef, type TextareaHTMLAttributes } from 'react'
import { cn } from '#app/components/ui/cn.ts'
import { inputClasses } from '#app/components/ui/input.tsx'

export const Textarea = forwardRef<
  HTMLTextAreaElement,
  TextareaHTMLAttributes<HTMLTextAreaElement>
>(function Textarea({ className, ...props }, ref) {
  return <textarea ref={ref} rows={3} className={cn(inputClasses, 'py-2', className)} {...props} />
})
