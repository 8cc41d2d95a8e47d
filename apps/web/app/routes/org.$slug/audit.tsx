import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { z } from 'zod'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { Alert } from '#app/components/ui/alert.tsx'
import { Avatar } from '#app/components/ui/avatar.tsx'
import { Button, buttonClasses } from '#app/components/ui/button.tsx'
import { Card } from '#app/components/ui/card.tsx'
import { cn } from '#app/components/ui/cn.ts'
import { EmptyState } from '#app/components/ui/empty-state.tsx'
import { SelectField, TextField } from '#app/components/ui/field.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { AUDIT_TARGETS, actorOf, describeAuditEntry } from '#app/lib/audit-sentences.ts'
import { loaderRefusal } from '#app/lib/errors.server.ts'
import { formatDateTime, personName } from '#app/lib/format.ts'
import { respond } from '#app/lib/http.server.ts'
import { requireOrgMember } from '#app/lib/org.server.ts'

export const ErrorBoundary = OrgErrorBoundary

export const meta: MetaFunction = () => [{ title: 'Audit log · Tenantbase' }]

const PAGE_SIZE = 25
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)

/** The filters of the URL; a value that cannot be understood is dropped (and said so). */
function readFilters(url: URL) {
  const get = (key: string) => url.searchParams.get(key) || undefined
  const problems: string[] = []
  const pick = <T,>(key: string, schema: z.ZodType<T>, what: string): T | undefined => {
    const raw = get(key)
    if (raw === undefined) return undefined
    const parsed = schema.safeParse(raw)
    if (parsed.success) return parsed.data
    problems.push(what)
    return undefined
  }
  const filters = {
    actor: pick('actor', z.guid(), 'person'),
    what: pick(
      'what',
      z.enum(AUDIT_TARGETS.map((t) => t.table) as [string, ...string[]]),
      'kind of change',
    ),
    from: pick('from', day, 'start date'),
    to: pick('to', day, 'end date'),
    page: pick('page', z.coerce.number().int().min(1).max(4000), 'page') ?? 1,
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    problems.push('period (the start is after the end)')
    filters.to = undefined
  }
  return { filters, problems }
}

/** The day after a YYYY-MM-DD date: "to" includes the whole day (dates are UTC). */
function dayAfter(date: string): string {
  const next = new Date(`${date}T00:00:00Z`)
  next.setUTCDate(next.getUTCDate() + 1)
  return next.toISOString()
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const refusal = loaderRefusal(context)
  const { filters, problems } = readFilters(new URL(request.url))
  const [rows, members] = await Promise.all([
    rpc(context.supabase, 'list_audit_entries', {
      p_org_id: context.org.id,
      p_limit: PAGE_SIZE + 1,
      p_offset: (filters.page - 1) * PAGE_SIZE,
      p_actor_id: filters.actor ?? null,
      p_target_table: filters.what ?? null,
      p_from: filters.from ? `${filters.from}T00:00:00Z` : null,
      p_to: filters.to ? dayAfter(filters.to) : null,
    }).catch(refusal),
    rpc(context.supabase, 'list_organization_members', { p_id: context.org.id }).catch(refusal),
  ])
  return respond(context, {
    filters,
    problems,
    people: members.map((m) => ({ value: m.user_id ?? '', label: personName(m) })),
    hasOlder: rows.length > PAGE_SIZE,
    entries: rows.slice(0, PAGE_SIZE).map((row) => {
      const entry = {
        actorId: row.actor_id,
        actorName: row.actor_name,
        actorEmail: row.actor_email,
        targetTable: row.target_table ?? '',
        targetLabel: row.target_label,
        action: row.action ?? '',
        changes: (row.changes ?? null) as Record<string, unknown> | null,
        names: (row.names ?? {}) as Record<string, string | null>,
      }
      return {
        id: row.id ?? '',
        actor: actorOf(entry),
        system: !entry.actorId,
        sentence: describeAuditEntry(entry),
        at: row.created_at,
      }
    }),
  })
}

export default function AuditLog() {
  const data = useLoaderData<typeof loader>()
  const navigation = useNavigation()
  const { filters } = data
  const filtered = !!(filters.actor || filters.what || filters.from || filters.to)
  const pageLink = (page: number) => {
    const search = new URLSearchParams()
    if (filters.actor) search.set('actor', filters.actor)
    if (filters.what) search.set('what', filters.what)
    if (filters.from) search.set('from', filters.from)
    if (filters.to) search.set('to', filters.to)
    if (page > 1) search.set('page', String(page))
    const query = search.toString()
    return query ? `?${query}` : '.'
  }
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who changed what in this organization, newest first. Times are in UTC."
      />
      {data.problems.length ? (
        <Alert tone="warning" className="mb-6">
          Some filters could not be understood and were left out: {data.problems.join(', ')}.
        </Alert>
      ) : null}

      <Card className="mb-6">
        <Form method="get" className="grid grid-cols-2 gap-4 px-5 py-4 lg:grid-cols-5 lg:items-end">
          <SelectField
            label="Person"
            className="col-span-2 sm:col-span-1"
            name="actor"
            defaultValue={filters.actor ?? ''}
            options={[{ value: '', label: 'Everyone' }, ...data.people]}
          />
          <SelectField
            label="Kind of change"
            className="col-span-2 sm:col-span-1"
            name="what"
            defaultValue={filters.what ?? ''}
            options={[
              { value: '', label: 'Everything' },
              ...AUDIT_TARGETS.map((t) => ({ value: t.table, label: t.label })),
            ]}
          />
          <TextField label="From" name="from" type="date" defaultValue={filters.from ?? ''} />
          <TextField label="To" name="to" type="date" defaultValue={filters.to ?? ''} />
          <div className="col-span-2 flex gap-2 lg:col-span-1">
            <Button
              variant="secondary"
              className="flex-1"
              pending={navigation.state === 'loading' && navigation.formMethod === 'GET'}
            >
              Apply filters
            </Button>
            {filtered ? (
              <Link to="." className={buttonClasses('ghost', 'md')}>
                Reset
              </Link>
            ) : null}
          </div>
        </Form>
      </Card>

      <Card>
        {data.entries.length ? (
          <ol aria-label="Audit entries" className="divide-y divide-zinc-100">
            {data.entries.map((entry) => (
              <li key={entry.id} className="flex items-start gap-3 px-5 py-3.5">
                <Avatar name={entry.system ? 'System' : entry.actor} className="mt-0.5" />
                <div className="min-w-0 flex-1">
                  <p className="text-sm text-zinc-800">{entry.sentence}</p>
                  <p className="mt-0.5 text-xs text-zinc-500">
                    <time dateTime={entry.at ?? undefined}>{formatDateTime(entry.at)}</time>
                  </p>
                </div>
              </li>
            ))}
          </ol>
        ) : (
          <EmptyState title={filtered ? 'No changes match these filters' : 'Nothing yet'}>
            {filtered
              ? 'Try another person, kind of change or period.'
              : 'Changes will be listed here as they happen.'}
          </EmptyState>
        )}
        {filters.page > 1 || data.hasOlder ? (
          <nav
            aria-label="Pages"
            className="flex items-center justify-between gap-3 border-t border-zinc-100 px-5 py-3"
          >
            <PageLink to={pageLink(filters.page - 1)} disabled={filters.page <= 1}>
              ← Newer
            </PageLink>
            <span className="text-sm text-zinc-500">Page {filters.page}</span>
            <PageLink to={pageLink(filters.page + 1)} disabled={!data.hasOlder}>
              Older →
            </PageLink>
          </nav>
        ) : null}
      </Card>
    </>
  )
}

function PageLink({
  to,
  disabled,
  children,
}: {
  to: string
  disabled: boolean
  children: React.ReactNode
}) {
  if (disabled) {
    return (
      <span aria-disabled="true" className={cn(buttonClasses('secondary', 'sm'), 'opacity-50')}>
        {children}
      </span>
    )
  }
  return (
    <Link to={to} className={buttonClasses('secondary', 'sm')}>
      {children}
    </Link>
  )
}
