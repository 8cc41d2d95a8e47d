import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { Alert } from '#app/components/ui/alert.tsx'
import { Badge } from '#app/components/ui/badge.tsx'
import { Card, CardBody, CardHeader } from '#app/components/ui/card.tsx'
import { EmptyState } from '#app/components/ui/empty-state.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { can } from '#app/lib/access.ts'
import { describeAuditEntry } from '#app/lib/audit-sentences.ts'
import { loaderRefusal } from '#app/lib/errors.server.ts'
import { formatDateTime, formatMoney } from '#app/lib/format.ts'
import { respond } from '#app/lib/http.server.ts'
import { requireOrgMember } from '#app/lib/org.server.ts'

export const ErrorBoundary = OrgErrorBoundary

// list_deals pages at most 500 rows; beyond that the card says "500+".
const DEAL_COUNT_CAP = 500

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const { supabase, org, access } = context
  const refusal = loaderRefusal(context)
  const mayReadAudit = can(access, 'audit.read')
  const [members, deals, activity] = await Promise.all([
    rpc(supabase, 'list_organization_members', { p_id: org.id }).catch(refusal),
    rpc(supabase, 'list_deals', { p_org_id: org.id, p_limit: DEAL_COUNT_CAP }).catch(refusal),
    mayReadAudit
      ? rpc(supabase, 'list_audit_entries', { p_org_id: org.id, p_limit: 8 }).catch(refusal)
      : Promise.resolve(null),
  ])
  return respond(context, {
    org,
    roleLabel: org.roleLabel,
    memberCount: members.length,
    dealCount: deals.length,
    dealCountCapped: deals.length >= DEAL_COUNT_CAP,
    recentDeals: deals.slice(0, 5).map((d) => ({
      id: d.id ?? '',
      title: d.title ?? '',
      amount: d.amount,
      visibility: d.visibility ?? '',
      updatedAt: d.updated_at,
    })),
    // The same sentences as the audit log page.
    activity: activity?.map((row) => ({
      id: row.id ?? '',
      sentence: describeAuditEntry({
        actorId: row.actor_id,
        actorName: row.actor_name,
        actorEmail: row.actor_email,
        targetTable: row.target_table ?? '',
        targetLabel: row.target_label,
        action: row.action ?? '',
        changes: (row.changes ?? null) as Record<string, unknown> | null,
        names: (row.names ?? {}) as Record<string, string | null>,
      }),
      at: row.created_at,
    })),
  })
}

export default function Dashboard() {
  const data = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  return (
    <>
      <PageHeader
        title={data.org.name}
        description={data.org.description ?? 'Your organization at a glance.'}
      />
      {params.get('notice') === 'password-updated' ? (
        <Alert tone="success" className="mb-6">
          Your password was updated.
        </Alert>
      ) : null}
      <dl className="grid gap-4 sm:grid-cols-3">
        <Stat label="Your role" value={data.roleLabel} />
        <Stat
          label="Members"
          value={String(data.memberCount)}
          link={{ to: '../members', label: 'View members' }}
        />
        <Stat
          label="Deals you can see"
          value={`${data.dealCount}${data.dealCountCapped ? '+' : ''}`}
          link={{ to: '../deals', label: 'View deals' }}
        />
      </dl>

      <div className="mt-6 grid items-start gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="Recent deals" description="The latest deals visible to you." />
          {data.recentDeals.length ? (
            <ul className="divide-y divide-zinc-100">
              {data.recentDeals.map((deal) => (
                <li key={deal.id} className="flex items-center justify-between gap-3 px-5 py-3">
                  <span className="min-w-0">
                    <span className="block truncate text-sm font-medium text-zinc-900">
                      {deal.title}
                    </span>
                    <span className="text-xs text-zinc-500">{formatMoney(deal.amount)}</span>
                  </span>
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
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState title="No deals yet">Deals you create or may see show up here.</EmptyState>
          )}
        </Card>

        <Card>
          <CardHeader
            title="Recent activity"
            description="Changes in this organization."
            actions={
              data.activity ? (
                <Link
                  to="../audit"
                  relative="path"
                  className="text-sm font-medium text-indigo-600 hover:text-indigo-500"
                >
                  Audit log
                </Link>
              ) : null
            }
          />
          {data.activity === undefined ? (
            <CardBody>
              <p className="text-sm text-zinc-500">
                The activity log is visible to members who may read the audit log.
              </p>
            </CardBody>
          ) : data.activity.length ? (
            <ul className="divide-y divide-zinc-100">
              {data.activity.map((entry) => (
                <li key={entry.id} className="px-5 py-3 text-sm">
                  <p className="text-zinc-800">{entry.sentence}</p>
                  <p className="text-xs text-zinc-500">{formatDateTime(entry.at)}</p>
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState title="Nothing yet">Changes will be listed here as they happen.</EmptyState>
          )}
        </Card>
      </div>
    </>
  )
}

function Stat({
  label,
  value,
  link,
}: {
  label: string
  value: string
  link?: { to: string; label: string }
}) {
  return (
    <div className="rounded-xl bg-white px-5 py-4 shadow-sm ring-1 ring-zinc-200">
      <dt className="text-sm text-zinc-500">{label}</dt>
      <dd className="mt-1 flex items-baseline justify-between gap-2">
        <span className="truncate text-2xl font-semibold tracking-tight text-zinc-900">
          {value}
        </span>
        {link ? (
          <Link
            to={link.to}
            relative="path"
            className="text-sm font-medium text-indigo-600 hover:text-indigo-500"
          >
            {link.label}
          </Link>
        ) : null}
      </dd>
    </div>
  )
}
