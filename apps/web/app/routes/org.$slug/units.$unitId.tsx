import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { z } from 'zod'
import { FormMessage } from '#app/components/form-message.tsx'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { Avatar } from '#app/components/ui/avatar.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Card, CardBody, CardHeader } from '#app/components/ui/card.tsx'
import { Confirm } from '#app/components/ui/confirm.tsx'
import { EmptyState } from '#app/components/ui/empty-state.tsx'
import { SelectField } from '#app/components/ui/field.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { Table, TBody, Td, THead, Th, Tr } from '#app/components/ui/table.tsx'
import { can, isBelowMe } from '#app/lib/access.ts'
import { formRefusal, loaderRefusal, notFound } from '#app/lib/errors.server.ts'
import { personName } from '#app/lib/format.ts'
import { parseForm } from '#app/lib/forms.server.ts'
import { type FormResult, failureOf, resultFor } from '#app/lib/forms.ts'
import { redirectTo, respond } from '#app/lib/http.server.ts'
import { type OrgContext, requireOrgMember } from '#app/lib/org.server.ts'
import { usePending } from '#app/lib/use-pending.ts'

export const ErrorBoundary = OrgErrorBoundary

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.unit.name} · Units · Tenantbase` : 'Unit · Tenantbase' },
]

/** The unit, in this organization only: another organization's unit id is a 404 here. */
async function requireUnit(context: OrgContext, unitId: string | undefined) {
  const parsed = z.guid().safeParse(unitId)
  if (!parsed.success) notFound(context, 'This unit does not exist.')
  const [unit] = await rpc(context.supabase, 'get_unit', { p_id: parsed.data }).catch(
    loaderRefusal(context),
  )
  if (!unit?.id || unit.organization_id !== context.org.id) {
    notFound(context, 'This unit does not exist.')
  }
  return { id: unit.id, name: unit.name ?? '', description: unit.description }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const unit = await requireUnit(context, params.unitId)
  const refusal = loaderRefusal(context)
  const mayManage = can(context.access, 'units.manage')
  const [unitMembers, orgMembers, roles] = await Promise.all([
    rpc(context.supabase, 'list_unit_members', { p_unit_id: unit.id }).catch(refusal),
    mayManage
      ? rpc(context.supabase, 'list_organization_members', { p_id: context.org.id }).catch(refusal)
      : [],
    mayManage
      ? rpc(context.supabase, 'list_roles', { p_org_id: context.org.id }).catch(refusal)
      : [],
  ])
  const inUnit = new Set(unitMembers.map((m) => m.user_id))
  return respond(context, {
    unit,
    me: context.userId,
    mayManage,
    members: unitMembers.map((m) => ({
      userId: m.user_id ?? '',
      name: personName(m),
      email: m.email ?? '',
      role: m.role_label ?? m.role ?? '',
      // Removable: yourself, or someone whose unit role is below yours.
      removable:
        m.user_id === context.userId || (mayManage && isBelowMe(context.access, m.role_id)),
    })),
    candidates: orgMembers
      .filter((m) => m.user_id && !inUnit.has(m.user_id))
      .map((m) => ({ value: m.user_id ?? '', label: `${personName(m)} (${m.email ?? ''})` })),
    assignableRoles: roles
      .filter((r) => isBelowMe(context.access, r.id))
      .map((r) => ({ value: r.id ?? '', label: r.label ?? r.name ?? '' })),
  })
}

const schema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('add'),
    userId: z.guid('Choose a member'),
    roleId: z.guid('Choose a role'),
  }),
  z.object({ intent: z.literal('remove'), target: z.guid() }),
  z.object({ intent: z.literal('delete') }),
])

export async function action({ request, params }: ActionFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const unit = await requireUnit(context, params.unitId)
  const form = parseForm(await request.formData(), schema)
  if (!form.ok) return respond(context, form, { status: 400 })
  const input = form.data
  try {
    if (input.intent === 'add') {
      await rpc(context.supabase, 'add_member_to_unit', {
        p_unit_id: unit.id,
        p_user_id: input.userId,
        p_role_id: input.roleId,
      })
      return respond(context, {
        ok: true,
        intent: 'add',
        message: 'Member added to the unit.',
      } satisfies FormResult)
    }
    if (input.intent === 'remove') {
      await rpc(context.supabase, 'remove_member_from_unit', {
        p_unit_id: unit.id,
        p_user_id: input.target,
      })
      return respond(context, {
        ok: true,
        intent: 'remove',
        message: 'Removed from the unit.',
      } satisfies FormResult)
    }
    await rpc(context.supabase, 'delete_unit', { p_id: unit.id })
    return redirectTo(context, `/org/${context.org.slug}/units`)
  } catch (error) {
    return formRefusal(context, error, {
      intent: input.intent,
      target: input.intent === 'remove' ? input.target : undefined,
      values: input.intent === 'add' ? { userId: input.userId, roleId: input.roleId } : undefined,
    })
  }
}

export default function Unit() {
  const data = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link to=".." relative="path" className="text-zinc-500 hover:text-zinc-900">
          Units
        </Link>
      </nav>
      <PageHeader
        title={data.unit.name}
        description={data.unit.description ?? 'A unit of the organization.'}
        actions={
          data.mayManage ? (
            <Confirm
              label="Delete unit"
              confirmLabel={`Delete ${data.unit.name}`}
              fields={{ intent: 'delete' }}
            >
              The unit and its memberships are removed. Its members stay in the organization.
            </Confirm>
          ) : null
        }
      />
      {result && result.intent !== 'add' ? <FormMessage result={result} className="mb-6" /> : null}
      {data.mayManage ? (
        <AddMember
          candidates={data.candidates}
          roles={data.assignableRoles}
          result={resultFor(result, 'add')}
        />
      ) : null}
      <Card className={data.mayManage ? 'mt-6' : undefined}>
        <CardHeader title={`Members (${data.members.length})`} />
        {data.members.length ? (
          <Table>
            <THead>
              <Tr>
                <Th>Member</Th>
                <Th>Role in the unit</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </Tr>
            </THead>
            <TBody>
              {data.members.map((member) => (
                <Tr key={member.userId}>
                  <Td>
                    <div className="flex items-center gap-3">
                      <Avatar name={member.name} />
                      <div className="min-w-0">
                        <p className="truncate font-medium text-zinc-900">{member.name}</p>
                        <p className="truncate text-xs text-zinc-500">{member.email}</p>
                      </div>
                    </div>
                  </Td>
                  <Td>{member.role}</Td>
                  <Td className="text-right">
                    {member.removable ? (
                      <Confirm
                        label={member.userId === data.me ? 'Leave' : 'Remove'}
                        title={
                          member.userId === data.me
                            ? 'Leave the unit'
                            : `Remove ${member.name} from the unit`
                        }
                        confirmLabel={
                          member.userId === data.me ? 'Leave unit' : `Remove ${member.name}`
                        }
                        fields={{ intent: 'remove', target: member.userId }}
                      >
                        {member.userId === data.me
                          ? `You leave ${data.unit.name}; you stay in the organization.`
                          : `${member.name} leaves ${data.unit.name} and stays in the organization.`}
                      </Confirm>
                    ) : null}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        ) : (
          <EmptyState title="Nobody in this unit yet">
            {data.mayManage
              ? 'Add members of the organization above.'
              : 'Members added to the unit appear here.'}
          </EmptyState>
        )}
      </Card>
    </>
  )
}

function AddMember({
  candidates,
  roles,
  result,
}: {
  candidates: Array<{ value: string; label: string }>
  roles: Array<{ value: string; label: string }>
  result: FormResult | undefined
}) {
  const failure = failureOf(result)
  const pending = usePending('add')
  return (
    <Card>
      <CardHeader
        title="Add a member"
        description="Members of the organization join with a role below your own."
      />
      <CardBody>
        {candidates.length && roles.length ? (
          <Form method="post" noValidate key={result?.ok ? result.message : 'form'}>
            <input type="hidden" name="intent" value="add" />
            <FormMessage result={result} className="mb-4" />
            <div className="grid gap-4 sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_auto] sm:items-start">
              <SelectField
                label="Member"
                name="userId"
                options={candidates}
                defaultValue={failure?.values?.userId}
                errors={failure?.fieldErrors?.userId}
              />
              <SelectField
                label="Role"
                name="roleId"
                options={roles}
                defaultValue={failure?.values?.roleId}
                errors={failure?.fieldErrors?.roleId}
              />
              <Button className="sm:mt-6" pending={pending}>
                Add to unit
              </Button>
            </div>
          </Form>
        ) : (
          <p className="text-sm text-zinc-500">
            {candidates.length
              ? 'There is no role below yours to give in this unit.'
              : 'Every member of the organization is already in this unit.'}
          </p>
        )}
      </CardBody>
    </Card>
  )
}
