import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  MaxPartSizeExceededError,
  type MetaFunction,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { z } from 'zod'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { Alert } from '#app/components/ui/alert.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Card, CardBody, CardHeader } from '#app/components/ui/card.tsx'
import { SelectField, TextField } from '#app/components/ui/field.tsx'
import {
  DEAL_STAGES,
  dealAbilities,
  VISIBILITIES,
  VISIBILITY_HELP,
  type Visibility,
} from '#app/lib/deal-access.ts'
import {
  dealFileLimits,
  dealFilePath,
  listDealFiles,
  removeDealFile,
  uploadDealFile,
} from '#app/lib/deal-files.server.ts'
import { describeError, formRefusal, loaderRefusal, notFound } from '#app/lib/errors.server.ts'
import { fileProblem, formatBytes, safeFileName } from '#app/lib/file-limits.ts'
import { formatDate, formatDateTime, formatMoney, personName } from '#app/lib/format.ts'
import { formValues, parseForm } from '#app/lib/forms.server.ts'
import { type FormResult, failureOf, resultFor } from '#app/lib/forms.ts'
import { redirectTo, respond } from '#app/lib/http.server.ts'
import { type OrgContext, requireOrgMember } from '#app/lib/org.server.ts'
import { usePending } from '#app/lib/use-pending.ts'
import { AttachmentList, AttachmentUploader } from './deals/deal-attachments.tsx'
import { capitalize, StageBadge, VisibilityBadge } from './deals/deal-badges.tsx'
import { VisibilityRadios } from './deals/deal-fields.tsx'
import { dealAmount, dealTitle, dealVisibility } from './deals/deal-form.server.ts'

export const ErrorBoundary = OrgErrorBoundary

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.deal.title} · Deals · Tenantbase` : 'Deal · Tenantbase' },
]

const NOT_FOUND = 'This deal does not exist, or you may not see it.'

/** The deal as the viewer may see it (get_deal runs through the deals policies), or a 404. */
async function requireDeal(context: OrgContext, id: string | undefined) {
  const dealId = z.guid().safeParse(id)
  if (!dealId.success) notFound(context, NOT_FOUND)
  const deal = await rpc(context.supabase, 'get_deal', { p_id: dealId.data }).catch(
    loaderRefusal(context),
  )
  if (!deal?.id || deal.organization_id !== context.org.id) notFound(context, NOT_FOUND)
  return {
    id: deal.id,
    title: deal.title ?? '',
    amount: deal.amount,
    stage: deal.stage,
    visibility: deal.visibility ?? 'private',
    ownerId: deal.owner_id ?? '',
    ownerRoleId: deal.owner_role_id ?? '',
    createdAt: deal.created_at,
    updatedAt: deal.updated_at,
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const refusal = loaderRefusal(context)
  const deal = await requireDeal(context, params.id)
  const abilities = dealAbilities(context.access, context.userId, deal)
  const [members, roles, files, limits] = await Promise.all([
    rpc(context.supabase, 'list_organization_members', { p_id: context.org.id }).catch(refusal),
    rpc(context.supabase, 'list_roles', { p_org_id: context.org.id }).catch(refusal),
    listDealFiles(context.supabase, context.org.id, deal.id).catch(refusal),
    abilities.update ? dealFileLimits() : Promise.resolve(null),
  ])
  const owner = members.find((m) => m.user_id === deal.ownerId)
  const base = `/org/${context.org.slug}/deals/${deal.id}`
  return respond(context, {
    deal,
    abilities,
    owner: deal.ownerId === context.userId ? 'You' : owner ? personName(owner) : 'A former member',
    ownerRole: roles.find((r) => r.id === deal.ownerRoleId)?.label ?? 'a role',
    files: files.map((file) => ({
      ...file,
      href: `${base}/files/${encodeURIComponent(file.name)}`,
    })),
    limits,
    signUrl: `${base}/files`,
  })
}

const schemas = {
  'update-deal': z.object({ title: dealTitle, amount: dealAmount, stage: z.enum(DEAL_STAGES) }),
  'change-visibility': z.object({ visibility: dealVisibility }),
  'delete-file': z.object({ target: z.string().min(1) }),
}

export async function action({ request, params }: ActionFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const deal = await requireDeal(context, params.id)
  const isUpload = request.headers.get('content-type')?.startsWith('multipart/form-data')
  if (isUpload) return uploadWithoutJavaScript(context, deal.id, request)

  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const target = String(formData.get('target') ?? '') || undefined
  const failure = { intent, target, values: formValues(formData) }
  const done = (message: string) =>
    respond(context, { ok: true, intent, target, message } satisfies FormResult)

  switch (intent) {
    case 'update-deal': {
      const form = parseForm(formData, schemas[intent])
      if (!form.ok) return respond(context, { ...form, ...failure }, { status: 400 })
      if (form.data.amount === null && deal.amount !== null) {
        return respond(
          context,
          {
            ...failure,
            ok: false,
            fieldErrors: { amount: ['A deal that has an amount keeps one; enter 0 to clear it'] },
          } satisfies FormResult,
          { status: 400 },
        )
      }
      return rpc(context.supabase, 'update_deal', {
        p_id: deal.id,
        p_title: form.data.title,
        p_amount: form.data.amount,
        p_stage: form.data.stage,
      }).then(
        () => done('Saved.'),
        (error) => formRefusal(context, error, failure),
      )
    }
    case 'change-visibility': {
      const form = parseForm(formData, schemas[intent])
      if (!form.ok) return respond(context, { ...form, ...failure }, { status: 400 })
      return rpc(context.supabase, 'update_deal', {
        p_id: deal.id,
        p_visibility: form.data.visibility,
      }).then(
        () => done(`The deal is now ${form.data.visibility}.`),
        (error) => formRefusal(context, error, failure),
      )
    }
    case 'delete-deal': {
      try {
        await rpc(context.supabase, 'delete_deal', { p_id: deal.id })
        return redirectTo(context, `/org/${context.org.slug}/deals?notice=deleted`)
      } catch (error) {
        return formRefusal(context, error, failure)
      }
    }
    case 'delete-file': {
      const form = parseForm(formData, schemas[intent])
      if (!form.ok) return respond(context, { ...form, ...failure }, { status: 400 })
      try {
        const removed = await removeDealFile(
          context.supabase,
          dealFilePath(context.org.id, deal.id, form.data.target),
        )
        if (!removed) {
          return respond(
            context,
            {
              ...failure,
              ok: false,
              formError: 'The file is gone, or you may not remove the files of this deal.',
            } satisfies FormResult,
            { status: 404 },
          )
        }
        return done(`${form.data.target} was removed.`)
      } catch (error) {
        return formRefusal(context, error, failure)
      }
    }
    default:
      return respond(context, { ok: false, formError: 'Unknown action.' } satisfies FormResult, {
        status: 400,
      })
  }
}

/**
 * The upload form without JavaScript: the files arrive here (each at most the bucket's limit,
 * held in memory) and are stored as the user, so the storage policy decides.
 */
async function uploadWithoutJavaScript(context: OrgContext, dealId: string, request: Request) {
  const intent = 'upload-files'
  const limits = await dealFileLimits()
  let formData: FormData
  try {
    formData = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: limits.maxBytes ?? 50 * 1024 * 1024 }),
    )
  } catch (error) {
    if (!(error instanceof MaxPartSizeExceededError)) throw error
    const message = `Files may be at most ${formatBytes(limits.maxBytes ?? 0)}.`
    return respond(context, { ok: false, intent, formError: message } satisfies FormResult, {
      status: 413,
    })
  }
  const files = formData
    .getAll('file')
    .filter((f): f is File => typeof f !== 'string' && f.size > 0)
  if (!files.length) {
    return respond(
      context,
      { ok: false, intent, formError: 'Choose at least one file.' } satisfies FormResult,
      { status: 400 },
    )
  }
  for (const file of files) {
    const problem = fileProblem(limits, file)
    if (problem) {
      return respond(context, { ok: false, intent, formError: problem } satisfies FormResult, {
        status: 400,
      })
    }
  }
  const stored: string[] = []
  for (const file of files) {
    const name = safeFileName(file.name)
    try {
      await uploadDealFile(context.supabase, dealFilePath(context.org.id, dealId, name), file, {
        replace: formData.get('replace') === 'on',
      })
      stored.push(name)
    } catch (error) {
      const refusal = describeError(error)
      const prefix = stored.length ? `Uploaded ${stored.join(', ')}. ` : ''
      return respond(
        context,
        {
          ok: false,
          intent,
          formError: `${prefix}${name}: ${refusal.message}`,
        } satisfies FormResult,
        { status: refusal.status },
      )
    }
  }
  return respond(context, {
    ok: true,
    intent,
    message: `Uploaded ${stored.join(', ')}.`,
  } satisfies FormResult)
}

const NOTICES: Record<string, { tone: 'success' | 'warning'; text: string }> = {
  created: { tone: 'success', text: 'The deal was created. You own it.' },
  'file-unavailable': {
    tone: 'warning',
    text: 'That file is no longer available, or you may not download it.',
  },
}

export default function Deal() {
  const { deal, abilities, owner, ownerRole, files, limits, signUrl } =
    useLoaderData<typeof loader>()
  const result = useActionData<typeof action>() as FormResult | undefined
  const [params] = useSearchParams()
  // A notice from the page's arrival (created, ...) gives way once the person acts here.
  const notice = result ? undefined : NOTICES[params.get('notice') ?? '']
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-4 text-sm">
        <Link
          to=".."
          relative="path"
          className="font-medium text-zinc-500 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          ← Deals
        </Link>
      </nav>
      <div className="mb-6 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight break-words text-zinc-900">
            {deal.title}
          </h1>
          <p className="mt-1 text-sm text-zinc-500">
            Owned by {owner} ({ownerRole}) · created {formatDate(deal.createdAt)}
          </p>
        </div>
        <div className="flex items-center gap-2">
          <StageBadge stage={deal.stage} />
          <VisibilityBadge visibility={deal.visibility} />
        </div>
      </div>
      {notice ? (
        <Alert tone={notice.tone} className="mb-6">
          {notice.text}
        </Alert>
      ) : null}

      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="space-y-6">
          <Card aria-labelledby="deal-details-title">
            <CardHeader
              title={<span id="deal-details-title">Details</span>}
              description={`Last changed ${formatDateTime(deal.updatedAt)}.`}
            />
            <CardBody>
              {abilities.update ? (
                <DealForm deal={deal} result={resultFor(result, 'update-deal')} />
              ) : (
                <DealFacts deal={deal} />
              )}
            </CardBody>
          </Card>

          <Card aria-labelledby="deal-files-title">
            <CardHeader
              title={<span id="deal-files-title">Attachments</span>}
              description="Everyone who can see this deal can download its files."
            />
            <AttachmentList
              files={files}
              mayChange={abilities.update}
              result={resultFor(result, 'delete-file')}
            />
            {resultFor(result, 'delete-file')?.ok ? (
              <div className="px-5 pb-3">
                <Alert tone="success">{(result as { message?: string }).message}</Alert>
              </div>
            ) : null}
            <div className="border-t border-zinc-100 px-5 py-4">
              {abilities.update && limits ? (
                <AttachmentUploader limits={limits} signUrl={signUrl} result={result} />
              ) : (
                <p className="text-sm text-zinc-500">
                  Only people who can edit this deal add or remove its files.
                </p>
              )}
            </div>
          </Card>
        </div>

        <div className="space-y-6">
          <VisibilityCard
            visibility={deal.visibility as Visibility}
            mayChange={abilities.changeVisibility}
            result={resultFor(result, 'change-visibility')}
          />
          {abilities.delete ? <DeleteCard result={resultFor(result, 'delete-deal')} /> : null}
        </div>
      </div>
    </>
  )
}

type DealView = {
  title: string
  amount: number | null
  stage: string | null
}

function DealFacts({ deal }: { deal: DealView }) {
  return (
    <>
      <dl className="grid gap-4 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-zinc-500">Amount</dt>
          <dd className="mt-0.5 font-medium text-zinc-900">{formatMoney(deal.amount)}</dd>
        </div>
        <div>
          <dt className="text-zinc-500">Stage</dt>
          <dd className="mt-0.5 font-medium text-zinc-900">{capitalize(deal.stage ?? '—')}</dd>
        </div>
      </dl>
      <p className="mt-4 rounded-lg bg-zinc-50 px-3 py-2 text-sm text-zinc-600">
        You can see this deal but not change it.
      </p>
    </>
  )
}

/** 1250 → "1250", 1250.5 → "1250.50": cents as people write them. */
function amountText(amount: number | null): string {
  if (amount === null) return ''
  return Number.isInteger(amount) ? String(amount) : amount.toFixed(2)
}

function DealForm({ deal, result }: { deal: DealView; result: FormResult | undefined }) {
  const failure = failureOf(result)
  const pending = usePending('update-deal')
  return (
    <Form method="post" preventScrollReset noValidate className="space-y-4">
      <input type="hidden" name="intent" value="update-deal" />
      <TextField
        label="Title"
        name="title"
        defaultValue={failure?.values?.title ?? deal.title}
        errors={failure?.fieldErrors?.title}
        required
        maxLength={200}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Amount (USD)"
          name="amount"
          inputMode="decimal"
          defaultValue={failure?.values?.amount ?? amountText(deal.amount)}
          errors={failure?.fieldErrors?.amount}
        />
        <SelectField
          label="Stage"
          name="stage"
          options={DEAL_STAGES.map((stage) => ({ value: stage, label: capitalize(stage) }))}
          defaultValue={failure?.values?.stage ?? deal.stage ?? 'lead'}
          errors={failure?.fieldErrors?.stage}
        />
      </div>
      {failure?.formError ? <Alert tone="error">{failure.formError}</Alert> : null}
      {result?.ok && result.message ? <Alert tone="success">{result.message}</Alert> : null}
      <Button type="submit" pending={pending}>
        Save changes
      </Button>
    </Form>
  )
}

function VisibilityCard({
  visibility,
  mayChange,
  result,
}: {
  visibility: Visibility
  mayChange: boolean
  result: FormResult | undefined
}) {
  const failure = failureOf(result)
  const pending = usePending('change-visibility')
  return (
    <Card aria-labelledby="deal-visibility-title">
      <CardHeader
        title={<span id="deal-visibility-title">Visibility</span>}
        description={mayChange ? 'Who can see and change this deal.' : undefined}
      />
      <CardBody>
        {mayChange ? (
          <Form method="post" preventScrollReset noValidate className="space-y-4">
            <input type="hidden" name="intent" value="change-visibility" />
            <VisibilityRadios
              layout="stack"
              defaultValue={
                VISIBILITIES.find((v) => v === failure?.values?.visibility) ?? visibility
              }
              errors={failure?.fieldErrors?.visibility}
            />
            {failure?.formError ? <Alert tone="error">{failure.formError}</Alert> : null}
            {result?.ok && result.message ? <Alert tone="success">{result.message}</Alert> : null}
            <Button type="submit" variant="secondary" size="sm" pending={pending}>
              Change visibility
            </Button>
          </Form>
        ) : (
          <div className="space-y-3 text-sm">
            <p>
              <VisibilityBadge visibility={visibility} />
            </p>
            <p className="text-zinc-600">{VISIBILITY_HELP[visibility]}</p>
            <p className="text-xs text-zinc-500">
              Only the owner, or someone whose role is above the owner’s, changes who can see it.
            </p>
          </div>
        )}
      </CardBody>
    </Card>
  )
}

function DeleteCard({ result }: { result: FormResult | undefined }) {
  const failure = failureOf(result)
  const pending = usePending('delete-deal')
  return (
    <Card aria-labelledby="deal-delete-title">
      <CardHeader title={<span id="deal-delete-title">Delete</span>} />
      <CardBody>
        <details>
          <summary className="cursor-pointer list-none text-sm font-medium text-red-600 hover:text-red-500 focus-visible:outline-2 focus-visible:outline-indigo-600 [&::-webkit-details-marker]:hidden">
            Delete this deal…
          </summary>
          <Form method="post" className="mt-3 space-y-3">
            <input type="hidden" name="intent" value="delete-deal" />
            <p className="text-sm text-zinc-600">
              The deal and its files disappear for everyone. An operator can still restore it.
            </p>
            <Button type="submit" variant="danger" size="sm" pending={pending}>
              Delete deal
            </Button>
          </Form>
        </details>
        {failure?.formError ? (
          <Alert tone="error" className="mt-3">
            {failure.formError}
          </Alert>
        ) : null}
      </CardBody>
    </Card>
  )
}
