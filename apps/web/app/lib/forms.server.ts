import { z } from 'zod'
import type { FormFailure } from '#app/lib/forms.ts'

// Form parsing runs in actions only, so Zod stays out of the browser bundle.

/** The form's text values (files and repeated fields are read separately). */
export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [key, value] of formData) {
    if (typeof value === 'string' && !key.toLowerCase().includes('password')) values[key] = value
  }
  return values
}

/** Validates a form with a Zod schema: the data, or a FormFailure with field errors. */
export function parseForm<S extends z.ZodType>(
  formData: FormData,
  schema: S,
): { ok: true; data: z.output<S> } | FormFailure {
  const values = formValues(formData)
  const raw: Record<string, string> = {}
  for (const [key, value] of formData) if (typeof value === 'string') raw[key] = value
  const parsed = schema.safeParse(raw)
  if (parsed.success) return { ok: true, data: parsed.data }
  return {
    ok: false,
    intent: raw.intent,
    target: raw.target,
    fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[] | undefined>,
    values,
  }
}

export const emailField = z
  .string()
  .trim()
  .min(1, 'Enter an email address')
  .pipe(z.email('Enter a valid email address'))
export const passwordField = z.string().min(8, 'Use at least 8 characters')
