import { z } from 'zod'

/** Billing configuration; the provider is chosen by BILLING_PROVIDER. */
export const billingEnvSchema = z.discriminatedUnion('BILLING_PROVIDER', [
  z.object({
    BILLING_PROVIDER: z.literal('stripe'),
    STRIPE_SECRET_KEY: z.string().startsWith('sk_'),
    STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_'),
    /** Another base URL for the Stripe API, e.g. a local fake in end-to-end tests. */
    STRIPE_API_URL: z.url().optional(),
  }),
  z.object({
    BILLING_PROVIDER: z.literal('lemon_squeezy'),
    LEMON_SQUEEZY_API_KEY: z.string().min(10),
    LEMON_SQUEEZY_STORE_ID: z.string().min(1),
    LEMON_SQUEEZY_WEBHOOK_SECRET: z.string().min(6),
  }),
])
export type BillingEnv = z.infer<typeof billingEnvSchema>

export function readBillingEnv(
  source: Record<string, string | undefined> = process.env,
): BillingEnv {
  const parsed = billingEnvSchema.safeParse(source)
  if (!parsed.success) {
    throw new Error(
      `Invalid billing environment: ${parsed.error.issues.map((i) => i.path.join('.') || i.message).join(', ')}`,
    )
  }
  return parsed.data
}
