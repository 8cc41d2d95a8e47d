import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { z } from 'zod'
import { FormMessage } from '#app/components/form-message.tsx'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { Avatar } from '#app/components/ui/avatar.tsx'
import { Badge } from '#app/components/ui/badge.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Card, CardBody, CardHeader } from '#app/components/ui/card.tsx'
import { Confirm } from '#app/components/ui/confirm.tsx'
import { SelectField, TextField } from '#app/components/ui/field.tsx'
import { Label } from '#app/components/ui/label.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { Select } from '#app/components/ui/select.tsx'
import { Table, TBody, Td, THead, Th, Tr } from '#app/components/ui/table.tsx'
import { can, isBelowMe } from '#app/lib/access.ts'
import { formRefusal, loaderRefusal } from '#app/lib/errors.server.ts'
import { formatDate, personName } from '#app/lib/format.ts'
import { emailField, parseForm } from '#app/lib/forms.server.ts'
import { type FormResult, failureOf, resultFor } from '#app/lib/forms.ts'
import { respond } from '#app/lib/http.server.ts'
import { sendInvitationEmail } from '#app/lib/invitations.server.ts'
import { type OrgContext, requireOrgMember } from '#app/lib/org.server.ts'
import { keepSeatsInStep } from '#app/lib/seats.server.ts'
import { usePending } from '#app/lib/use-pending.ts'

export const ErrorBoundary = OrgErrorBoundary

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const { supabase, org, access } = context
  const refusal = loaderRefusal(context)
  const mayInvite = can(access, 'members.invite')
  const [members, roles, units, invitations] = await Promise.all([
    rpc(supabase, 'list_organization_members', { p_id: org.id }).catch(refusal),
    rpc(supabase, 'list_roles', { p_org_id: org.id }).catch(refusal),
    mayInvite ? rpc(supabase, 'list_units', { p_org_id: org.id }).catch(refusal) : [],
    mayInvite
      ? rpc(supabase, 'list_invitations', { p_organization_id: org.id }).catch(refusal)
      : null,
  ])
  const names = new Map(members.map((m) => [m.user_id, personName(m)]))
  return respond(context, {
    me: context.userId,
    org: { name: org.name },
    access,
    members: members.map((m) => ({
      userId: m.user_id ?? '',
      name: personName(m),
      email: m.email ?? '',
      roleId: m.role_id ?? '',
      role: m.role_label ?? m.role ?? '',
      isOwner: m.is_super_admin ?? false,
      joinedAt: m.joined_at,
    })),
    // Roles the viewer may give to someone: strictly below their own.
    assignableRoles: roles
      .filter((r) => isBelowMe(access, r.id))
      .map((r) => ({ value: r.id ?? '', label: r.label ?? r.name ?? '' })),
    units: units.map((u) => ({ value: u.id ?? '', label: u.name ?? '' })),
    invitations: invitations
      ?.filter((i) => i.status === 'pending' || i.status === 'expired')
      .map((i) => ({
        id: i.id ?? '',
        email: i.email ?? '',
        role: i.role_label ?? i.role_name ?? '',
        status: i.status ?? '',
        expiresAt: i.expires_at,
        invitedBy: (i.invited_by && names.get(i.invited_by)) || '—',
        // Resend and cancel follow the rule of inviting: only to roles below the viewer's.
        mayManage: isBelowMe(access, i.role_id),
      })),
  })
}

const inviteSchema = z.object({
  intent: z.literal('invite'),
  email: emailField,
  roleId: z.guid('Choose a role'),
  unitId: z.union([z.literal(''), z.guid()]).optional(),
})
const invitationSchema = z.object({
  intent: z.enum(['resend', 'cancel']),
  target: z.guid(),
})
const memberSchema = z.object({
  intent: z.enum(['change-role', 'remove']),
  target: z.guid(),
  roleId: z.guid().optional(),
})

export async function action({ request, params }: ActionFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const formData = await request.formData()
  const intent = String(formData.get('intent'))
  if (intent === 'invite') return invite(context, formData)
  if (intent === 'resend' || intent === 'cancel') return manageInvitation(context, formData)
  return manageMember(context, formData)
}

async function invite(context: OrgContext, formData: FormData) {
  const form = parseForm(formData, inviteSchema)
  if (!form.ok) return respond(context, form, { status: 400 })
  const { supabase, org } = context
  const values = {
    email: form.data.email,
    roleId: form.data.roleId,
    unitId: form.data.unitId ?? '',
  }
  let created:
    | { id: string | null; token: string | null; email: string | null; expires_at: string | null }
    | undefined
  try {
    ;[created] = await rpc(supabase, 'create_invitation', {
      p_email: form.data.email,
      p_organization_id: org.id,
      p_role_id: form.data.roleId,
      p_unit_id: form.data.unitId || null,
    })
  } catch (error) {
    return formRefusal(context, error, { intent: 'invite', values })
  }
  if (!created?.token || !created.email || !created.expires_at)
    throw new Error('create_invitation returned no token')
  return emailInvitation(context, {
    intent: 'invite',
    to: created.email,
    token: created.token,
    expiresAt: created.expires_at,
    roleId: form.data.roleId,
    sent: `Invitation sent to ${created.email}.`,
  })
}

async function manageInvitation(context: OrgContext, formData: FormData) {
  const form = parseForm(formData, invitationSchema)
  if (!form.ok) return respond(context, form, { status: 400 })
  const { intent, target } = form.data
  try {
    if (intent === 'cancel') {
      await rpc(context.supabase, 'cancel_invitation', { p_invitation_id: target })
      return respond(context, {
        ok: true,
        intent,
        target,
        message: 'Invitation cancelled.',
      } satisfies FormResult)
    }
    const [issued] = await rpc(context.supabase, 'resend_invitation', { p_invitation_id: target })
    const listed = await rpc(context.supabase, 'list_invitations', {
      p_organization_id: context.org.id,
    })
    const invitation = listed.find((i) => i.id === target)
    if (!issued?.token || !issued.email || !issued.expires_at)
      throw new Error('resend_invitation returned no token')
    return emailInvitation(context, {
      intent,
      target,
      to: issued.email,
      token: issued.token,
      expiresAt: issued.expires_at,
      roleId: invitation?.role_id ?? '',
      sent: `A new invitation was sent to ${issued.email}; the previous link no longer works.`,
    })
  } catch (error) {
    return formRefusal(context, error, { intent, target })
  }
}

/** Emails a freshly issued token with the inviter's name, the organization and the role. */
async function emailInvitation(
  context: OrgContext,
  input: {
    intent: string
    target?: string
    to: string
    token: string
    expiresAt: string
    roleId: string
    sent: string
  },
) {
  const [[profile], roles] = await Promise.all([
    rpc(context.supabase, 'get_user_profile', {}),
    rpc(context.supabase, 'list_roles', { p_org_id: context.org.id }),
  ])
  const role = roles.find((r) => r.id === input.roleId)
  try {
    await sendInvitationEmail({
      to: input.to,
      token: input.token,
      expiresAt: input.expiresAt,
      organizationName: context.org.name,
      inviterName: profile ? personName(profile) : null,
      roleLabel: role?.label ?? role?.name ?? 'Member',
    })
  } catch (error) {
    console.error('Sending an invitation email failed:', error)
    return respond(
      context,
      {
        ok: false,
        intent: input.intent,
        target: input.target,
        formError: `The invitation for ${input.to} was created, but the email could not be sent. Use "Resend" to try again.`,
      } satisfies FormResult,
      { status: 502 },
    )
  }
  return respond(context, {
    ok: true,
    intent: input.intent,
    target: input.target,
    message: input.sent,
  } satisfies FormResult)
}

async function manageMember(context: OrgContext, formData: FormData) {
  const form = parseForm(formData, memberSchema)
  if (!form.ok) return respond(context, form, { status: 400 })
  const { intent, target, roleId } = form.data
  try {
    if (intent === 'change-role') {
      if (!roleId)
        return respond(
          context,
          { ok: false, intent, target, formError: 'Choose a role.' } satisfies FormResult,
          { status: 400 },
        )
      await rpc(context.supabase, 'update_member_role', {
        p_org_id: context.org.id,
        p_user_id: target,
        p_role_id: roleId,
      })
      return respond(context, {
        ok: true,
        intent,
        target,
        message: 'Role changed.',
      } satisfies FormResult)
    }
    await rpc(context.supabase, 'remove_member_from_organization', {
      p_org_id: context.org.id,
      p_user_id: target,
    })
    await keepSeatsInStep(context.org.id)
    return respond(context, {
      ok: true,
      intent,
      target,
      message: 'Member removed.',
    } satisfies FormResult)
  } catch (error) {
    return formRefusal(context, error, { intent, target })
  }
}

export default function Members() {
  const data = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const mayManage = can(data.access, 'members.manage')
  const inviteResult = resultFor(result, 'invite')
  return (
    <>
      <PageHeader title="Members" description={`People in ${data.org.name} and their roles.`} />
      {result && result.intent !== 'invite' ? (
        <FormMessage result={result} className="mb-6" />
      ) : null}

      {data.invitations ? (
        <InviteCard roles={data.assignableRoles} units={data.units} result={inviteResult} />
      ) : null}

      <Card className="mt-6">
        <CardHeader title={`Members (${data.members.length})`} />
        <Table>
          <THead>
            <Tr>
              <Th>Member</Th>
              <Th>Role</Th>
              <Th className="hidden sm:table-cell">Joined</Th>
              {mayManage ? (
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              ) : null}
            </Tr>
          </THead>
          <TBody>
            {data.members.map((member) => {
              const manageable =
                mayManage && member.userId !== data.me && isBelowMe(data.access, member.roleId)
              return (
                <Tr key={member.userId}>
                  <Td>
                    <div className="flex items-center gap-3">
                      <Avatar name={member.name} />
                      <div className="min-w-0">
                        <p className="truncate font-medium text-zinc-900">
                          {member.name}
                          {member.userId === data.me ? (
                            <span className="ml-1.5 text-xs font-normal text-zinc-500">(you)</span>
                          ) : null}
                        </p>
                        <p className="truncate text-xs text-zinc-500">{member.email}</p>
                      </div>
                    </div>
                  </Td>
                  <Td>
                    {manageable ? (
                      <RoleForm member={member} roles={data.assignableRoles} />
                    ) : (
                      <span className="inline-flex items-center gap-2">
                        {member.role}
                        {member.isOwner && member.role !== 'Owner' ? (
                          <Badge tone="indigo">Owner</Badge>
                        ) : null}
                      </span>
                    )}
                  </Td>
                  <Td className="hidden whitespace-nowrap sm:table-cell">
                    {formatDate(member.joinedAt)}
                  </Td>
                  {mayManage ? (
                    <Td className="text-right">
                      {manageable ? (
                        <Confirm
                          label="Remove"
                          title={`Remove ${member.name}`}
                          confirmLabel={`Remove ${member.name}`}
                          fields={{ intent: 'remove', target: member.userId }}
                        >
                          {member.name} loses access to {data.org.name} and everything in it at
                          once.
                        </Confirm>
                      ) : null}
                    </Td>
                  ) : null}
                </Tr>
              )
            })}
          </TBody>
        </Table>
      </Card>

      {data.invitations ? (
        <Card className="mt-6">
          <CardHeader
            title="Pending invitations"
            description="Invitations not accepted yet. Resending issues a new link."
          />
          {data.invitations.length ? (
            <Table>
              <THead>
                <Tr>
                  <Th>Email</Th>
                  <Th className="hidden sm:table-cell">Role</Th>
                  <Th className="hidden sm:table-cell">Invited by</Th>
                  <Th className="hidden sm:table-cell">Expires</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </Tr>
              </THead>
              <TBody>
                {data.invitations.map((invitation) => (
                  <Tr key={invitation.id}>
                    <Td className="max-w-56 font-medium break-words text-zinc-900">
                      {invitation.email}
                      <span className="block text-xs font-normal text-zinc-500 sm:hidden">
                        {invitation.role}
                      </span>
                    </Td>
                    <Td className="hidden sm:table-cell">{invitation.role}</Td>
                    <Td className="hidden sm:table-cell">{invitation.invitedBy}</Td>
                    <Td className="hidden whitespace-nowrap sm:table-cell">
                      {invitation.status === 'expired' ? (
                        <Badge tone="amber">Expired</Badge>
                      ) : (
                        formatDate(invitation.expiresAt)
                      )}
                    </Td>
                    <Td className="text-right whitespace-nowrap">
                      {invitation.mayManage ? (
                        <div className="inline-flex items-center gap-1">
                          <Form method="post">
                            <input type="hidden" name="intent" value="resend" />
                            <input type="hidden" name="target" value={invitation.id} />
                            <Button
                              variant="ghost"
                              size="sm"
                              aria-label={`Resend the invitation to ${invitation.email}`}
                            >
                              Resend
                            </Button>
                          </Form>
                          {invitation.status === 'pending' ? (
                            <Confirm
                              label="Cancel"
                              title={`Cancel the invitation to ${invitation.email}`}
                              confirmLabel="Cancel invitation"
                              fields={{ intent: 'cancel', target: invitation.id }}
                            >
                              The link sent to {invitation.email} stops working.
                            </Confirm>
                          ) : null}
                        </div>
                      ) : null}
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          ) : (
            <CardBody>
              <p className="text-sm text-zinc-500">No pending invitations.</p>
            </CardBody>
          )}
        </Card>
      ) : null}
    </>
  )
}

function InviteCard({
  roles,
  units,
  result,
}: {
  roles: Array<{ value: string; label: string }>
  units: Array<{ value: string; label: string }>
  result: FormResult | undefined
}) {
  const pending = usePending('invite')
  const failure = failureOf(result)
  return (
    <Card>
      <CardHeader
        title="Invite someone"
        description="They get an email with a link to join. Links work once and expire after 7 days."
      />
      <CardBody>
        {roles.length ? (
          <Form method="post" noValidate key={result?.ok ? result.message : 'form'}>
            <input type="hidden" name="intent" value="invite" />
            <FormMessage result={result} className="mb-4" />
            <div className="grid gap-4 sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)_auto] sm:items-start">
              <TextField
                label="Email"
                name="email"
                type="email"
                autoComplete="off"
                placeholder="name@company.com"
                defaultValue={failure?.values?.email}
                errors={failure?.fieldErrors?.email}
              />
              <SelectField
                label="Role"
                name="roleId"
                options={roles}
                defaultValue={failure?.values?.roleId}
                errors={failure?.fieldErrors?.roleId}
                description="Roles below your own."
              />
              <SelectField
                label="Unit (optional)"
                name="unitId"
                options={[{ value: '', label: 'No unit' }, ...units]}
                defaultValue={failure?.values?.unitId}
                errors={failure?.fieldErrors?.unitId}
              />
              <Button className="sm:mt-6" pending={pending}>
                Send invitation
              </Button>
            </div>
          </Form>
        ) : (
          <p className="text-sm text-zinc-500">There is no role below yours to invite people to.</p>
        )}
      </CardBody>
    </Card>
  )
}

function RoleForm({
  member,
  roles,
}: {
  member: { userId: string; name: string; roleId: string }
  roles: Array<{ value: string; label: string }>
}) {
  const id = `role-${member.userId}`
  return (
    <Form method="post" className="flex items-center gap-2">
      <input type="hidden" name="intent" value="change-role" />
      <input type="hidden" name="target" value={member.userId} />
      <Label htmlFor={id} className="sr-only">
        Role of {member.name}
      </Label>
      <Select
        key={member.roleId}
        id={id}
        name="roleId"
        defaultValue={member.roleId}
        compact
        className="min-w-32"
      >
        {roles.map((role) => (
          <option key={role.value} value={role.value}>
            {role.label}
          </option>
        ))}
      </Select>
      <Button variant="secondary" size="sm" aria-label={`Save the role of ${member.name}`}>
        Save
      </Button>
    </Form>
  )
}
