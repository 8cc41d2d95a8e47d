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
