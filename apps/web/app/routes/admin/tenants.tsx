import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { Badge } from '#app/components/ui/badge.tsx'
import { Button, LinkButton } from '#app/components/ui/button.tsx'
import { Card } from '#app/components/ui/card.tsx'
import { EmptyState } from '#app/components/ui/empty-state.tsx'
import { Input } from '#app/components/ui/input.tsx'
import { Label } from '#app/components/ui/label.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { Table, TBody, Td, THead, Th, Tr } from '#app/components/ui/table.tsx'
import { loaderRefusal } from '#app/lib/errors.server.ts'
import { formatDate } from '#app/lib/format.ts'
import { respond } from '#app/lib/http.server.ts'
import { requirePlatformAdmin } from '#app/lib/platform.server.ts'

export const ErrorBoundary = OrgErrorBoundary

export const meta: MetaFunction = () => [{ title: 'Tenants · Platform admin · Tenantbase' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePlatformAdmin(request)
  const search = (new URL(request.url).searchParams.get('q') ?? '').trim().slice(0, 200)
  const tenants = await rpc(admin.supabase, 'platform_list_organizations', {
    p_search: search || null,
  }).catch(loaderRefusal(admin))
  return respond(admin, {
    search,
    tenants: tenants.map((t) => ({
      id: t.id ?? '',
      name: t.name ?? '',
      slug: t.slug ?? '',
      status: t.is_deleted ? 'deleted' : (t.status ?? 'active'),
      members: t.member_count ?? 0,
      plan: t.plan_name ?? t.plan ?? 'Free',
      planSource: t.plan_source ?? 'free',
      createdAt: t.created_at,
    })),
  })
}

export default function Tenants() {
  const { search, tenants } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader
        title="Tenants"
        description="Every organization on the platform, newest first."
        actions={<LinkButton to="/admin/tenants/new">Provision a tenant</LinkButton>}
      />
      <Form method="get" role="search" className="mb-4 flex max-w-md items-end gap-2">
        <div className="flex-1">
          <Label htmlFor="q" className="sr-only">
            Search tenants
          </Label>
          <Input
            id="q"
            name="q"
            type="search"
            placeholder="Search by name or slug"
            defaultValue={search}
          />
        </div>
        <Button variant="secondary">Search</Button>
      </Form>
      <Card>
        {tenants.length ? (
          <Table>
            <THead>
              <Tr>
                <Th>Tenant</Th>
                <Th>Plan</Th>
                <Th className="text-right">Members</Th>
                <Th className="hidden sm:table-cell">Status</Th>
                <Th className="hidden md:table-cell">Created</Th>
              </Tr>
            </THead>
            <TBody>
              {tenants.map((tenant) => (
                <Tr key={tenant.id}>
                  <Td>
                    <Link
                      to={`/admin/tenants/${tenant.id}`}
                      className="font-medium text-zinc-900 hover:text-indigo-600"
                    >
                      {tenant.name}
                    </Link>
                    <span className="block text-xs text-zinc-500">{tenant.slug}</span>
                  </Td>
                  <Td>
                    <span className="inline-flex flex-wrap items-center gap-1.5">
                      {tenant.plan}
                      {tenant.planSource === 'override' ? (
                        <Badge tone="amber">override</Badge>
                      ) : null}
                    </span>
                  </Td>
                  <Td className="text-right tabular-nums">{tenant.members}</Td>
                  <Td className="hidden sm:table-cell">
                    <Badge
                      tone={
                        tenant.status === 'active'
                          ? 'green'
                          : tenant.status === 'deleted'
                            ? 'neutral'
                            : 'red'
                      }
                    >
                      {tenant.status}
                    </Badge>
                  </Td>
                  <Td className="hidden whitespace-nowrap md:table-cell">
                    {formatDate(tenant.createdAt)}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        ) : (
          <EmptyState title={search ? `No tenant matches “${search}”` : 'No tenants yet'}>
            {search ? 'Try another name or slug.' : 'Provision the first one.'}
          </EmptyState>
        )}
      </Card>
    </>
  )
}
