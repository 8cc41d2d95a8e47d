import {
  type BillingDb,
  BillingError,
  type BillingEvent,
  type CustomerLookup,
} from '#src/billing-provider.ts'

/** The live subscription of an organization and the seat count it should have. */
export type SeatState = { subscriptionId: string; quantity: number; seatCount: number }

/**
 * Where the billing sync reads and writes: the platform schema, reached either through a pg
 * pool on a trusted login (`billingStoreFromDb`) or through the API with the service key
 * (`billingStoreFromSupabase`), so an app needs nothing but SUPABASE_URL and its keys.
 */
export type BillingStore = {
  /** Applies a normalized event: `applied`, `duplicate`, `stale` or `ignored`. */
  applyEvent(event: BillingEvent): Promise<string>
  /** The provider's customer of an organization (for the customer portal). */
  findCustomer(
    organizationId: string,
    provider: BillingEvent['provider'],
  ): Promise<string | undefined>
  /** The live subscription's seat quantity and the member count; null without one. */
  seatState(organizationId: string, provider: BillingEvent['provider']): Promise<SeatState | null>
}

/** What billingStoreFromSupabase needs of a supabase-js client (created with the service key). */
export type RpcClient = {
  rpc(
    fn: string,
    args: Record<string, unknown>,
  ): PromiseLike<{ data: unknown; error: { message: string; code?: string } | null }>
}

/** The event as platform.apply_billing_event reads it (snake_case JSON). */
export function eventPayload(event: BillingEvent): Record<string, unknown> {
  return {
    provider: event.provider,
    event_id: event.eventId,
    type: event.type,
    occurred_at: event.occurredAt,
    organization_id: event.organizationId,
    customer: event.customer,
    subscription: event.subscription && {
      id: event.subscription.id,
      status: event.subscription.status,
      price_id: event.subscription.priceId,
      quantity: event.subscription.quantity,
      current_period_end: event.subscription.currentPeriodEnd,
      cancel_at_period_end: event.subscription.cancelAtPeriodEnd,
    },
  }
}

export function billingStoreFromDb(db: BillingDb): BillingStore {
  return {
    async applyEvent(event) {
      const { rows } = await db.query('select platform.apply_billing_event($1::jsonb) as outcome', [
        JSON.stringify(eventPayload(event)),
      ])
      return String(rows[0]?.outcome)
    },
    async findCustomer(organizationId, provider) {
      const { rows } = await db.query(
        'select provider_customer_id from platform.billing_customers where organization_id = $1 and provider = $2 order by updated_at desc limit 1',
        [organizationId, provider],
      )
      return rows[0]?.provider_customer_id as string | undefined
    },
    async seatState(organizationId, provider) {
      const { rows } = await db.query(
        `select s.provider_subscription_id, s.quantity, platform.organization_seat_count($1) as members
         from platform.billing_subscriptions s
         where s.organization_id = $1 and s.provider = $2 and s.status in ('trialing', 'active', 'past_due')
         order by s.last_event_at desc limit 1`,
        [organizationId, provider],
      )
      const row = rows[0]
      if (!row) return null
      return {
        subscriptionId: String(row.provider_subscription_id),
        quantity: Number(row.quantity),
        seatCount: Number(row.members),
      }
    },
  }
}

/** The same through PostgREST: public.billing_* functions, executable by the service role only. */
export function billingStoreFromSupabase(client: RpcClient): BillingStore {
  const call = async (fn: string, args: Record<string, unknown>): Promise<unknown> => {
    const { data, error } = await client.rpc(fn, args)
    if (error) {
      throw new BillingError('database_error', `${fn} failed: ${error.message}`, { cause: error })
    }
    return data
  }
  return {
    async applyEvent(event) {
      return String(await call('billing_apply_event', { p_event: eventPayload(event) }))
    },
    async findCustomer(organizationId, provider) {
      const id = await call('billing_customer_id', {
        p_org_id: organizationId,
        p_provider: provider,
      })
      return typeof id === 'string' ? id : undefined
    },
    async seatState(organizationId, provider) {
      const rows = (await call('billing_seat_state', {
        p_org_id: organizationId,
        p_provider: provider,
      })) as Array<{ provider_subscription_id: string; quantity: number; seat_count: number }>
      const row = rows?.[0]
      if (!row) return null
      return {
        subscriptionId: row.provider_subscription_id,
        quantity: Number(row.quantity),
        seatCount: Number(row.seat_count),
      }
    },
  }
}

/** Accepts a store or a pg pool (the package's first interface). */
export function toBillingStore(source: BillingStore | BillingDb): BillingStore {
  return 'query' in source ? billingStoreFromDb(source) : source
}

export function customerLookupFromDb(
  db: BillingDb,
  provider: BillingEvent['provider'],
): CustomerLookup {
  return customerLookupFromStore(billingStoreFromDb(db), provider)
}

export function customerLookupFromStore(
  store: BillingStore,
  provider: BillingEvent['provider'],
): CustomerLookup {
  return (organizationId) => store.findCustomer(organizationId, provider)
}
