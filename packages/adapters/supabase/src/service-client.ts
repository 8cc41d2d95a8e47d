import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import type { SupabaseEnv } from '#src/env.ts'

/**
 * A service-role client for trusted server code only (provisioning, webhooks, jobs). It bypasses
 * RLS: never hand it to a browser or use it to act for a signed-in user.
 */
export function createServiceClient(env: SupabaseEnv): SupabaseClient {
  if (!env.SUPABASE_SERVICE_ROLE_KEY) {
    throw new Error(
      'SUPABASE_SERVICE_ROLE_KEY is not set; the service client is for trusted server code.',
    )
  }
  return createClient(env.SUPABASE_URL, env.SUPABASE_SERVICE_ROLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  })
}
