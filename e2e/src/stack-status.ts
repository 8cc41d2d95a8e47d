import { createClient, type SupabaseClient } from '@supabase/supabase-js'

export type E2EStatus = {
  db_url: string
  api_url: string
  mail_url: string
  smtp_port: number
  anon_key: string
  service_role_key: string
  jwt_secret: string
  /** The app, served from its production build. */
  app_url: string
  /** The fake Stripe API the app's Stripe SDK talks to (harness/fake-stripe.ts). */
  stripe_url: string
  /** The app's STRIPE_WEBHOOK_SECRET: specs sign webhook events with it. */
  stripe_webhook_secret: string
}

/** URLs and keys of the stack and app the global setup started. */
export function stackStatus(): E2EStatus {
  const raw = process.env.TENANTBASE_E2E_STATUS
  if (!raw) throw new Error('TENANTBASE_E2E_STATUS is not set: run the specs with `pnpm test:e2e`.')
  return JSON.parse(raw)
}

export function client(key: string, accessToken?: string): SupabaseClient {
  const { api_url } = stackStatus()
  return createClient(api_url, key, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: accessToken ? { headers: { Authorization: `Bearer ${accessToken}` } } : {},
  })
}
