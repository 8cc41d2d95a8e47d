import { Alert } from '#app/components/ui/alert.tsx'
import type { FormResult } from '#app/lib/forms.ts'

/** The outcome of a form: the success sentence, or the refusal in the database's words. */
export function FormMessage({
  result,
  className,
}: {
  result: FormResult | undefined
  className?: string
}) {
  if (!result) return null
  if (result.ok) {
    return result.message ? (
      <Alert tone="success" className={className}>
        {result.message}
      </Alert>
    ) : null
  }
  return result.formError ? (
    <Alert tone="error" className={className}>
      {result.formError}
    </Alert>
  ) : null
}
