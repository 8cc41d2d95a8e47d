import type { SupabaseClient } from '@supabase/supabase-js'
import { createServiceClient } from '@tenantbase/supabase/service-client'
import { env } from '#app/lib/env.server.ts'

/**
 * The service-role client: bypasses RLS, so it is used only where a user's own token cannot
 * do the job (provisioning a tenant, the billing sync). Never pass it to a component or return what it reads
 * without checking who asked. A test scans the client build for this key.
 */
export function serviceClient(): SupabaseClient {
  return createServiceClient(env())
}
