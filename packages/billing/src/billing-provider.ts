import { z } from 'zod'

/** One status set for every provider (see statuses.ts for the mapping). */
export const subscriptionStatusSchema = z.enum([
  'trialing',
  'active',
  'past_due',
  'paused',
  'canceled',
  'unpaid',
  'incomplete',
  'expired',
])
export type SubscriptionStatus = z.infer<typeof subscriptionStatusSchema>

export const checkoutInputSchema = z.object({
  organizationId: z.guid(),
  priceId: z.string().min(1),
  quantity: z.number().int().min(1).max(10_000),
  customerEmail: z.email().optional(),
  successUrl: z.url(),
  cancelUrl: z.url(),
})
export type CheckoutInput = z.input<typeof checkoutInputSchema>

export const portalInputSchema = z.object({ organizationId: z.guid(), returnUrl: z.url() })
export type PortalInput = z.input<typeof portalInputSchema>

export const normalizedSubscriptionSchema = z.object({
  id: z.string(),
  status: subscriptionStatusSchema,
  priceId: z.string().nullable(),
  quantity: z.number().int().min(0),
  currentPeriodEnd: z.string().nullable(),
  cancelAtPeriodEnd: z.boolean(),
  organizationId: z.guid().nullable(),
  customerId: z.string().nullable(),
})
export type NormalizedSubscription = z.infer<typeof normalizedSubscriptionSchema>

/** A provider event reduced to what the sync needs; `subscription` is null for events it ignores. */
export const billingEventSchema = z.object({
  provider: z.enum(['stripe', 'lemon_squeezy']),
  eventId: z.string().min(1),
  type: z.string(),
  occurredAt: z.string(),
  organizationId: z.guid().nullable(),
  customer: z.object({ id: z.string(), email: z.string().nullable() }).nullable(),
  subscription: normalizedSubscriptionSchema.nullable(),
})
export type BillingEvent = z.infer<typeof billingEventSchema>

export type BillingProvider = {
  readonly name: 'stripe' | 'lemon_squeezy'
  createCheckout(input: CheckoutInput): Promise<{ url: string; id: string }>
  createPortalSession(input: PortalInput): Promise<{ url: string }>
  /** Verifies the signature over the raw body and normalizes the event; throws BillingError('invalid_signature'). */
  parseWebhook(rawBody: string, headers: Headers): Promise<BillingEvent>
  getSubscription(subscriptionId: string): Promise<NormalizedSubscription>
  cancelSubscription(
    subscriptionId: string,
    options?: { atPeriodEnd?: boolean },
  ): Promise<NormalizedSubscription>
  updateSeats(subscriptionId: string, quantity: number): Promise<NormalizedSubscription>
}

export type BillingErrorCode =
  | 'invalid_signature'
  | 'invalid_input'
  | 'provider_error'
  | 'no_customer'
  | 'database_error'

/** The one error type of the billing package: a stable code and an actionable message. */
export class BillingError extends Error {
  readonly code: BillingErrorCode
  constructor(code: BillingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'BillingError'
    this.code = code
  }
}

/** Where billing data lives: a pg Pool (or client) on a trusted server login. */
export type BillingDb = {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>
}

/** Finds the provider customer of an organization (for the customer portal). */
export type CustomerLookup = (organizationId: string) => Promise<string | undefined>

export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) {
    throw new BillingError(
      'invalid_input',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    )
  }
  return parsed.data
}
