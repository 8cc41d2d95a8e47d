import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { z } from 'zod'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { Alert } from '#app/components/ui/alert.tsx'
import { Button, LinkButton } from '#app/components/ui/button.tsx'
import { Card, CardBody, CardHeader } from '#app/components/ui/card.tsx'
import { cn } from '#app/components/ui/cn.ts'
import { EmptyState } from '#app/components/ui/empty-state.tsx'
import { TextField } from '#app/components/ui/field.tsx'
import { Input } from '#app/components/ui/input.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { Table, TBody, Td, THead, Th, Tr } from '#app/components/ui/table.tsx'
import { can } from '#app/lib/access.ts'
import { VISIBILITIES, type Visibility } from '#app/lib/deal-access.ts'
import { formRefusal, loaderRefusal } from '#app/lib/errors.server.ts'
import { formatDate, formatMoney, personName } from '#app/lib/format.ts'
import { parseForm } from '#app/lib/forms.server.ts'
import { type FormResult, failureOf } from '#app/lib/forms.ts'
import { redirectTo, respond } from '#app/lib/http.server.ts'
import { requireOrgMember } from '#app/lib/org.server.ts'
import { usePending } from '#app/lib/use-pending.ts'
import { capitalize, StageBadge, VisibilityBadge } from './deals/deal-badges.tsx'
import { VisibilityRadios } from './deals/deal-fields.tsx'
import { dealAmount, dealTitle, dealVisibility } from './deals/deal-form.server.ts'

export const ErrorBoundary = OrgErrorBoundary

export const meta: MetaFunction = () => [{ title: 'Deals · Tenantbase' }]

const PAGE_SIZE = 20

const listQuery = z.object({
  visibility: z.enum(VISIBILITIES).optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
})

/** A page of the deals the access engine lets the viewer read, optionally of one visibility. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const refusal = loaderRefusal(context)
  const query = listQuery.parse(Object.fromEntries(new URL(request.url).searchParams))
  const [deals, members] = await Promise.all([
    // One row more than a page tells whether there is a next page.
    rpc(context.supabase, 'list_deals', {
      p_org_id: context.org.id,
      p_limit: PAGE_SIZE + 1,
      p_offset: (query.page - 1) * PAGE_SIZE,
      p_search: query.q || null,
      p_visibility: query.visibility ?? null,
    }).catch(refusal),
    rpc(context.supabase, 'list_organization_members', { p_id: context.org.id }).catch(refusal),
  ])
  const names = new Map(members.map((m) => [m.user_id, personName(m)]))
  return respond(context, {
    deals: deals.slice(0, PAGE_SIZE).map((d) => ({
      id: d.id ?? '',
      title: d.title ?? '',
      amount: d.amount,
      stage: d.stage,
      visibility: d.visibility ?? '',
      owner:
        d.owner_id === context.userId ? 'You' : (names.get(d.owner_id ?? '') ?? 'A former member'),
      updatedAt: d.updated_at,
    })),
    page: query.page,
    hasNext: deals.length > PAGE_SIZE,
    mayCreate: can(context.access, 'deals.create'),
  })
}

const createSchema = z.object({
  title: dealTitle,
  amount: dealAmount,
  visibility: dealVisibility,
})

export async function action({ request, params }: ActionFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const formData = await request.formData()
  const form = parseForm(formData, createSchema)
  if (!form.ok) return respond(context, { ...form, intent: 'create-deal' }, { status: 400 })
  try {
    const deal = await rpc(context.supabase, 'create_deal', {
      p_org_id: context.org.id,
      p_title: form.data.title,
      p_amount: form.data.amount,
      p_visibility: form.data.visibility,
    })
    return redirectTo(context, `/org/${context.org.slug}/deals/${deal?.id}?notice=created`)
  } catch (error) {
    return formRefusal(context, error, {
      intent: 'create-deal',
      values: Object.fromEntries([...formData].map(([k, v]) => [k, String(v)])),
    })
  }
}

export default function Deals() {
  const { deals, page, hasNext, mayCreate } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>() as FormResult | undefined
  const [params] = useSearchParams()
  const visibility = VISIBILITIES.find((v) => v === params.get('visibility'))
  const search = params.get('q') ?? ''
  const creating = mayCreate && (params.has('new') || result?.ok === false)
  const pageLink = (to: number) => {
    const next = new URLSearchParams(params)
    next.delete('new')
    if (to > 1) next.set('page', String(to))
    else next.delete('page')
    const query = next.toString()
    return query ? `?${query}` : '.'
  }
  const filterLink = (to: Visibility | undefined) => {
    const next = new URLSearchParams()
    if (to) next.set('visibility', to)
    if (search) next.set('q', search)
    const query = next.toString()
    return query ? `?${query}` : '.'
  }

  return (
    <>
      <PageHeader
        title="Deals"
        description="Deals you may see, by the rules of each deal's visibility."
        actions={
          mayCreate && !creating ? (
            <LinkButton to="?new" preventScrollReset>
              New deal
            </LinkButton>
          ) : null
        }
      />

      {params.get('notice') === 'deleted' ? (
        <Alert tone="success" className="mb-6">
          The deal was deleted.
        </Alert>
      ) : null}
      {creating ? <CreateDealForm result={result} /> : null}

      <Card>
        <div className="flex flex-col gap-3 border-b border-zinc-100 px-4 py-3 sm:flex-row sm:items-center sm:justify-between sm:px-5">
          <nav aria-label="Filter by visibility">
            <ul className="flex gap-1 overflow-x-auto">
              {[undefined, ...VISIBILITIES].map((v) => (
                <li key={v ?? 'all'}>
                  <Link
                    to={filterLink(v)}
                    relative="path"
                    preventScrollReset
                    aria-current={visibility === v ? 'page' : undefined}
                    className={cn(
                      'block rounded-lg px-3 py-1.5 text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-indigo-600',
                      visibility === v
                        ? 'bg-zinc-900 text-white'
                        : 'text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900',
                    )}
                  >
                    {v ? capitalize(v) : 'All'}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <Form method="get" role="search" className="flex gap-2">
            {visibility ? <input type="hidden" name="visibility" value={visibility} /> : null}
            <label htmlFor="deal-search" className="sr-only">
              Search deals by title
            </label>
            <Input
              id="deal-search"
              type="search"
              name="q"
              defaultValue={search}
              placeholder="Search by title"
              className="sm:w-56"
            />
            <Button type="submit" variant="secondary">
              Search
            </Button>
          </Form>
        </div>

        {deals.length ? (
          <Table aria-label="Deals">
            <THead>
              <Tr>
                <Th>Title</Th>
                <Th className="text-right">Amount</Th>
                <Th className="hidden md:table-cell">Stage</Th>
                <Th className="hidden sm:table-cell">Visibility</Th>
                <Th className="hidden lg:table-cell">Owner</Th>
                <Th className="hidden lg:table-cell">Updated</Th>
              </Tr>
            </THead>
            <TBody>
              {deals.map((deal) => (
                <Tr key={deal.id} className="hover:bg-zinc-50/70">
                  <Td className="max-w-0 min-w-40 sm:max-w-none">
                    <Link
                      to={deal.id}
                      className="block truncate font-medium text-zinc-900 hover:text-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600"
                    >
                      {deal.title}
                    </Link>
                    <span className="mt-0.5 flex flex-wrap items-center gap-1.5 text-xs text-zinc-500 sm:hidden">
                      <VisibilityBadge visibility={deal.visibility} />
                      <span>{deal.owner}</span>
                    </span>
                    <span className="hidden text-xs text-zinc-500 sm:block lg:hidden">
                      {deal.owner}
                    </span>
                  </Td>
                  <Td className="text-right whitespace-nowrap tabular-nums">
                    {formatMoney(deal.amount)}
                  </Td>
                  <Td className="hidden md:table-cell">
                    <StageBadge stage={deal.stage} />
                  </Td>
                  <Td className="hidden sm:table-cell">
                    <VisibilityBadge visibility={deal.visibility} />
                  </Td>
                  <Td className="hidden lg:table-cell">{deal.owner}</Td>
                  <Td className="hidden whitespace-nowrap lg:table-cell">
                    {formatDate(deal.updatedAt)}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        ) : (
          <EmptyState
            title={search || visibility || page > 1 ? 'No deals match' : 'No deals yet'}
            action={
              mayCreate && !creating && !search && !visibility ? (
                <LinkButton to="?new" variant="secondary">
                  Create a deal
                </LinkButton>
              ) : null
            }
          >
            {search || visibility
              ? 'Try another filter or search.'
              : 'Deals you create, and deals others share with you, appear here.'}
          </EmptyState>
        )}

        {page > 1 || hasNext ? (
          <nav
            aria-label="Pages"
            className="flex items-center justify-between gap-3 border-t border-zinc-100 px-5 py-3 text-sm"
          >
            <span className="text-zinc-500">Page {page}</span>
            <span className="flex gap-2">
              {page > 1 ? (
                <LinkButton
                  to={pageLink(page - 1)}
                  relative="path"
                  variant="secondary"
                  size="sm"
                  rel="prev"
                >
                  Previous
                </LinkButton>
              ) : null}
              {hasNext ? (
                <LinkButton
                  to={pageLink(page + 1)}
                  relative="path"
                  variant="secondary"
                  size="sm"
                  rel="next"
                >
                  Next
                </LinkButton>
              ) : null}
            </span>
          </nav>
        ) : null}
      </Card>
    </>
  )
}

function CreateDealForm({ result }: { result: FormResult | undefined }) {
  const failure = failureOf(result)
  const pending = usePending()
  return (
    <Card className="mb-6" aria-labelledby="new-deal-title">
      <CardHeader
        title={<span id="new-deal-title">New deal</span>}
        description="You will own it. Its visibility decides who else sees it; you can change it later."
      />
      <CardBody>
        <Form method="post" preventScrollReset noValidate className="space-y-4">
          <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_12rem]">
            <TextField
              label="Title"
              name="title"
              defaultValue={failure?.values?.title ?? ''}
              errors={failure?.fieldErrors?.title}
              required
              maxLength={200}
              autoFocus
            />
            <TextField
              label="Amount (USD)"
              name="amount"
              inputMode="decimal"
              defaultValue={failure?.values?.amount ?? ''}
              errors={failure?.fieldErrors?.amount}
              description="Optional."
            />
          </div>
          <VisibilityRadios
            defaultValue={VISIBILITIES.find((v) => v === failure?.values?.visibility) ?? 'private'}
            errors={failure?.fieldErrors?.visibility}
          />
          {failure?.formError ? <Alert tone="error">{failure.formError}</Alert> : null}
          <div className="flex gap-2">
            <Button type="submit" pending={pending}>
              Create deal
            </Button>
            <LinkButton to="." relative="path" variant="ghost">
              Cancel
            </LinkButton>
          </div>
        </Form>
      </CardBody>
    </Card>
  )
}
