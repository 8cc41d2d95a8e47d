import type { ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { dealFileLimits, dealFilePath, signDealUpload } from '#app/lib/deal-files.server.ts'
import { describeError } from '#app/lib/errors.server.ts'
import { fileProblem, safeFileName } from '#app/lib/file-limits.ts'
import { withSessionHeaders } from '#app/lib/http.server.ts'
import { requireOrgMember } from '#app/lib/org.server.ts'

const uploadRequest = z.object({
  name: z.string().min(1).max(1000),
  size: z.coerce.number().int().min(0),
  type: z.string().max(255).default(''),
  replace: z.literal('on').optional(),
})

/**
 * Signs one upload to a deal (JSON, for the browser's progress uploads): the bucket's limits
 * first, then a signed upload URL created as the user — creating it checks, through the
 * storage policy, that they may write files of this deal.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const answer = (body: { url?: string; name?: string; message?: string }, status = 200) =>
    Response.json(body, { status, headers: withSessionHeaders(context.headers) })
  const dealId = z.guid().safeParse(params.id)
  const parsed = uploadRequest.safeParse(Object.fromEntries(await request.formData()))
  if (!dealId.success || !parsed.success) {
    return answer({ message: 'This upload request is not valid.' }, 400)
  }
  const problem = fileProblem(await dealFileLimits(), parsed.data)
  if (problem) return answer({ message: problem }, 400)
  const name = safeFileName(parsed.data.name)
  try {
    const url = await signDealUpload(
      context.supabase,
      dealFilePath(context.org.id, dealId.data, name),
      { replace: parsed.data.replace === 'on' },
    )
    return answer({ url, name })
  } catch (error) {
    const refusal = describeError(error)
    return answer({ message: refusal.message }, refusal.status)
  }
}
