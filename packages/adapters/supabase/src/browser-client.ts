import { createBrowserClient } from '@supabase/ssr'
import type { SupabaseClient } from '@supabase/supabase-js'
import type { SupabaseEnv } from '#src/env.ts'

/** The browser's client: the same cookie session the server reads. */
export function createBrowserSupabase(
  env: Pick<SupabaseEnv, 'SUPABASE_URL' | 'SUPABASE_ANON_KEY'>,
): SupabaseClient {
  // @supabase/ssr's declarations reach supabase-js through its CommonJS entry; same object.
  return createBrowserClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY) as unknown as SupabaseClient
}
