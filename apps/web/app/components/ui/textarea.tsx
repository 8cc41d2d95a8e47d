import { forwardRef, type TextareaHTMLAttributes } from 'react'
import { cn } from '#app/components/ui/cn.ts'
import { inputClasses } from '#app/components/ui/input.tsx'

export const Textarea = forwardRef<
  HTMLTextAreaElement,
  TextareaHTMLAttributes<HTMLTextAreaElement>
>(function Textarea({ className, ...props }, ref) {
  return <textarea ref={ref} className={cn(inputClasses, 'min-h-24 py-2', className)} {...props} />
})
