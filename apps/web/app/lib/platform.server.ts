import { rpc } from '@tenantbase/schemas/rpc'
import { loaderRefusal, notFound } from '#app/lib/errors.server.ts'
import { requireUser, type SignedIn } from '#app/lib/supabase.server.ts'

/**
 * A signed-in platform admin, or a 404 for everyone else: the operator's screens do not
 * reveal that they exist. The database checks again in every platform_* function.
 */
export async function requirePlatformAdmin(request: Request): Promise<SignedIn> {
  const user = await requireUser(request)
  const isAdmin = await rpc(user.supabase, 'is_platform_admin', {}).catch(loaderRefusal(user))
  if (!isAdmin) notFound(user, 'There is nothing at this address.')
  return user
}
