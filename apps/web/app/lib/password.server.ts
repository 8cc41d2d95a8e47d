import { createClient } from '@supabase/supabase-js'
import { env } from '#app/lib/env.server.ts'

/**
 * Is this the account's current password? Asked before a password change so that a session
 * left open on a shared computer cannot lock its owner out. Checked with a sign-in on a
 * throwaway client (no cookies), whose session is signed out again at once.
 */
export async function isCurrentPassword(email: string, password: string): Promise<boolean> {
  const probe = createClient(env().SUPABASE_URL, env().SUPABASE_ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  })
  const { data, error } = await probe.auth.signInWithPassword({ email, password })
  if (error || !data.session) return false
  await probe.auth.signOut({ scope: 'local' })
  return true
}
