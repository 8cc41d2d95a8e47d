export {
  type BillingDb,
  BillingError,
  type BillingErrorCode,
  type BillingEvent,
  type BillingProvider,
  billingEventSchema,
  type CheckoutInput,
  type CustomerLookup,
  checkoutInputSchema,
  type NormalizedSubscription,
  type PortalInput,
  portalInputSchema,
  type SubscriptionStatus,
  subscriptionStatusSchema,
} from '#src/billing-provider.ts'
export {
  type BillingStore,
  billingStoreFromDb,
  billingStoreFromSupabase,
  customerLookupFromDb,
  customerLookupFromStore,
  type RpcClient,
  type SeatState,
} from '#src/billing-store.ts'
export { createBillingProvider } from '#src/create-billing-provider.ts'
export {
  applyBillingEvent,
  handleBillingWebhook,
  type WebhookResult,
} from '#src/handle-billing-webhook.ts'
export { lemonSqueezyStatuses, stripeStatuses } from '#src/statuses.ts'
export { syncSeats } from '#src/sync-seats.ts'
