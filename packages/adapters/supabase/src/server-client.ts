import { createServerClient, parseCookieHeader, serializeCookieHeader } from '@supabase/ssr'
import type { SupabaseClient } from '@supabase/supabase-js'
import type { SupabaseEnv } from '#src/env.ts'

/**
 * A supabase-js client for one server request (Remix loaders/actions, any fetch handler): the
 * session lives in cookies, read from the request and written to `headers`, which the caller
 * appends to its response.
 */
export function createRequestClient(
  env: Pick<SupabaseEnv, 'SUPABASE_URL' | 'SUPABASE_ANON_KEY'>,
  request: Request,
): { supabase: SupabaseClient; headers: Headers } {
  const headers = new Headers()
  const supabase = createServerClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, {
    cookies: {
      getAll: () =>
        parseCookieHeader(request.headers.get('cookie') ?? '').map(({ name, value }) => ({
          name,
          value: value ?? '',
        })),
      setAll: (cookies) => {
        for (const { name, value, options } of cookies) {
          headers.append('set-cookie', serializeCookieHeader(name, value, options))
        }
      },
    },
  })
  // @supabase/ssr's declarations reach supabase-js through its CommonJS entry; same object.
  return { supabase: supabase as unknown as SupabaseClient, headers }
}
