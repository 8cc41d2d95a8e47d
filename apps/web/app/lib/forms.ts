import { z } from 'zod'

/** What an action answers when a form cannot be applied; the page shows it next to the form. */
export type FormFailure = {
  ok: false
  intent?: string
  /** The row a per-row form acted on (its hidden `target` field). */
  target?: string
  /** A sentence for the whole form (usually the database's refusal). */
  formError?: string
  fieldErrors?: Record<string, string[] | undefined>
  /** What was typed, so the form keeps it. */
  values?: Record<string, string>
}
export type FormSuccess = { ok: true; intent?: string; target?: string; message?: string }
export type FormResult = FormFailure | FormSuccess

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

/** The action result of one form when a page has several (by intent, and row for per-row forms). */
export function resultFor(
  result: FormResult | undefined,
  intent: string,
  target?: string,
): FormResult | undefined {
  if (!result || result.intent !== intent) return undefined
  if (target !== undefined && result.target !== target) return undefined
  return result
}

/** Field errors and typed values of a failed result, for one form's fields. */
export function failureOf(result: FormResult | undefined): FormFailure | undefined {
  return result && !result.ok ? result : undefined
}

export const emailField = z
  .string()
  .trim()
  .min(1, 'Enter an email address')
  .pipe(z.email('Enter a valid email address'))
export const passwordField = z.string().min(8, 'Use at least 8 characters')
