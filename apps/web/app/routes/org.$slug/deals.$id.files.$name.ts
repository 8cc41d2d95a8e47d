import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { dealFilePath, signDealDownload } from '#app/lib/deal-files.server.ts'
import { describeError } from '#app/lib/errors.server.ts'
import { redirectTo } from '#app/lib/http.server.ts'
import { requireOrgMember } from '#app/lib/org.server.ts'

/**
 * Downloads a file of a deal: a one-minute signed URL created as the user (the storage policy
 * checks read access to the deal), then a redirect to it. When that is refused, back to the
 * deal with a sentence.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const dealId = z.guid().safeParse(params.id)
  const name = params.name ?? ''
  const back = `/org/${context.org.slug}/deals/${params.id}?notice=file-unavailable`
  if (!dealId.success || !name || name.includes('/')) return redirectTo(context, back)
  try {
    const url = await signDealDownload(
      context.supabase,
      dealFilePath(context.org.id, dealId.data, name),
      name,
    )
    return redirectTo(context, url)
  } catch (error) {
    describeError(error) // an unexpected error still becomes a 500
    return redirectTo(context, back)
  }
}
