import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { Badge } from '#app/components/ui/badge.tsx'
import { Card } from '#app/components/ui/card.tsx'
import { EmptyState } from '#app/components/ui/empty-state.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { Table, TBody, Td, THead, Th, Tr } from '#app/components/ui/table.tsx'
import { loaderRefusal } from '#app/lib/errors.server.ts'
import { formatDate, formatMoney } from '#app/lib/format.ts'
import { respond } from '#app/lib/http.server.ts'
import { requireOrgMember } from '#app/lib/org.server.ts'

export const ErrorBoundary = OrgErrorBoundary

/** Deals the access engine lets the viewer read (the full deals screen builds on this). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const deals = await rpc(context.supabase, 'list_deals', {
    p_org_id: context.org.id,
    p_limit: 50,
  }).catch(loaderRefusal(context))
  return respond(context, {
    deals: deals.map((d) => ({
      id: d.id ?? '',
      title: d.title ?? '',
      amount: d.amount,
      stage: d.stage,
      visibility: d.visibility ?? '',
      updatedAt: d.updated_at,
    })),
  })
}

export default function Deals() {
  const { deals } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader
        title="Deals"
        description="Deals you may see, by the rules of each deal's visibility."
      />
      <Card>
        {deals.length ? (
          <Table>
            <THead>
              <Tr>
                <Th>Title</Th>
                <Th>Amount</Th>
                <Th>Stage</Th>
                <Th>Visibility</Th>
                <Th>Updated</Th>
              </Tr>
            </THead>
            <TBody>
              {deals.map((deal) => (
                <Tr key={deal.id}>
                  <Td className="font-medium text-zinc-900">{deal.title}</Td>
                  <Td>{formatMoney(deal.amount)}</Td>
                  <Td>{deal.stage ?? '—'}</Td>
                  <Td>
                    <Badge
                      tone={
                        deal.visibility === 'public'
                          ? 'green'
                          : deal.visibility === 'private'
                            ? 'neutral'
                            : 'indigo'
                      }
                    >
                      {deal.visibility}
                    </Badge>
                  </Td>
                  <Td>{formatDate(deal.updatedAt)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        ) : (
          <EmptyState title="No deals to show">Deals you own or may see appear here.</EmptyState>
        )}
      </Card>
    </>
  )
}
