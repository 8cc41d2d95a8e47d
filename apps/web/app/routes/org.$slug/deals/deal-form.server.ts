import { z } from 'zod'
import { VISIBILITIES } from '#app/lib/deal-access.ts'

// Parsed in actions only, so Zod stays out of the browser bundle.

/** Form fields of a deal, validated the way app.deals' constraints will. */
export const dealTitle = z
  .string()
  .trim()
  .min(1, 'Enter a title')
  .max(200, 'Use at most 200 characters')

/** Empty means "no amount"; otherwise dollars, at most two decimals. */
export const dealAmount = z
  .string()
  .trim()
  .transform((value) => value.replace(/[$,\s]/g, ''))
  .refine((value) => value === '' || /^\d{1,12}(\.\d{1,2})?$/.test(value), {
    message: 'Enter an amount in dollars, like 12500 or 99.50',
  })
  .transform((value) => (value === '' ? null : Number(value)))

export const dealVisibility = z.enum(VISIBILITIES, { message: 'Choose who may see the deal' })
