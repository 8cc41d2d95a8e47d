import { Form } from '@remix-run/react'
import type { ReactNode } from 'react'
import { Alert } from '#app/components/ui/alert.tsx'
import { Badge } from '#app/components/ui/badge.tsx'
import { Button, LinkButton } from '#app/components/ui/button.tsx'
import { Card, CardBody, CardHeader } from '#app/components/ui/card.tsx'
import { SelectField, TextField } from '#app/components/ui/field.tsx'
import type { Access } from '#app/lib/access.ts'
import { type FormResult, failureOf, resultFor } from '#app/lib/forms.ts'
import { usePending } from '#app/lib/use-pending.ts'
import { PermissionCheckboxes } from './permission-checkboxes.tsx'
import {
  addableParents,
  grantablePermissions,
  mayManageRole,
  mayManageRoles,
  usableParents,
} from './role-abilities.ts'
import type { PermissionOption, RoleRow } from './role-row.ts'

/** The chosen role: what it is, and the changes the viewer may make to it. */
export function RolePanel({
  role,
  roles,
  catalogue,
  access,
  result,
}: {
  role: RoleRow
  roles: RoleRow[]
  catalogue: PermissionOption[]
  access: Access
  result: FormResult | undefined
}) {
  const names = new Map(roles.map((r) => [r.id, r.label]))
  const manageable = mayManageRole(access, role.id)
  const mayCreateUnder = mayManageRoles(access) && usableParents(access, [role]).length > 0
  return (
    <Card aria-labelledby="role-panel-title">
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-zinc-100 px-5 py-4">
        <div className="min-w-0">
          <h2 id="role-panel-title" className="text-base font-semibold text-zinc-900">
            {role.label}
          </h2>
          <p className="mt-0.5 text-sm text-zinc-500">
            {role.memberCount} {role.memberCount === 1 ? 'member' : 'members'} ·{' '}
            {role.effectivePermissions.length}{' '}
            {role.effectivePermissions.length === 1 ? 'permission' : 'permissions'}
          </p>
        </div>
        <div className="flex flex-wrap gap-1.5">
          {role.isRoot && role.label.toLowerCase() !== 'owner' ? (
            <Badge tone="indigo">Owner</Badge>
          ) : null}
          {role.id === access.roleId ? <Badge tone="green">Your role</Badge> : null}
        </div>
        {role.description ? (
          <p className="w-full text-sm text-zinc-600">{role.description}</p>
        ) : null}
      </div>
      <CardBody className="space-y-5">
        {mayCreateUnder ? (
          <LinkButton
            to={`?new&parent=${role.id}`}
            preventScrollReset
            variant="secondary"
            size="sm"
            className="w-full"
          >
            Add a role under {role.label}
          </LinkButton>
        ) : null}

        {manageable ? (
          <>
            <RenameForm role={role} result={resultFor(result, 'rename-role', role.id)} />
            <ParentsSection
              role={role}
              names={names}
              addable={addableParents(access, roles, role)}
              result={result}
            />
            <PermissionsForm
              role={role}
              options={grantablePermissions(access, catalogue)}
              result={resultFor(result, 'set-permissions', role.id)}
            />
            <DeleteSection role={role} result={resultFor(result, 'delete-role', role.id)} />
          </>
        ) : (
          <ReadOnlyRole role={role} names={names} access={access} />
        )}
      </CardBody>
    </Card>
  )
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="space-y-3 border-t border-zinc-100 pt-5 first:border-t-0 first:pt-0">
      <h3 className="text-sm font-semibold text-zinc-900">{title}</h3>
      {children}
    </section>
  )
}

function Outcome({ result }: { result: FormResult | undefined }) {
  if (!result) return null
  if (result.ok) return result.message ? <Alert tone="success">{result.message}</Alert> : null
  return result.formError ? <Alert tone="error">{result.formError}</Alert> : null
}

function RenameForm({ role, result }: { role: RoleRow; result: FormResult | undefined }) {
  const failure = failureOf(result)
  const pending = usePending('rename-role')
  return (
    <Section title="Name">
      <Form method="post" preventScrollReset noValidate className="space-y-3">
        <input type="hidden" name="intent" value="rename-role" />
        <input type="hidden" name="target" value={role.id} />
        <TextField
          key={`name-${role.id}`}
          label="Role name"
          name="name"
          defaultValue={failure?.values?.name ?? role.label}
          errors={failure?.fieldErrors?.name}
          required
          maxLength={100}
        />
        <TextField
          key={`description-${role.id}`}
          label="Description"
          name="description"
          defaultValue={failure?.values?.description ?? role.description ?? ''}
          errors={failure?.fieldErrors?.description}
          maxLength={500}
        />
        <Outcome result={result} />
        <Button type="submit" variant="secondary" size="sm" pending={pending}>
          Save name
        </Button>
      </Form>
    </Section>
  )
}

function ParentsSection({
  role,
  names,
  addable,
  result,
}: {
  role: RoleRow
  names: Map<string, string>
  addable: RoleRow[]
  result: FormResult | undefined
}) {
  const removeResult = resultFor(result, 'remove-parent', role.id)
  const addResult = resultFor(result, 'add-parent', role.id)
  const addFailure = failureOf(addResult)
  const pendingAdd = usePending('add-parent')
  const onlyParent = role.parentIds.length <= 1
  return (
    <Section title="Reports to">
      <ul className="divide-y divide-zinc-100 rounded-lg ring-1 ring-zinc-200">
        {role.parentIds.map((parentId) => (
          <li key={parentId} className="flex items-center justify-between gap-2 px-3 py-2 text-sm">
            <span className="truncate font-medium text-zinc-900">{names.get(parentId)}</span>
            {onlyParent ? null : (
              <Form method="post" preventScrollReset>
                <input type="hidden" name="intent" value="remove-parent" />
                <input type="hidden" name="target" value={role.id} />
                <input type="hidden" name="parent" value={parentId} />
                <Button
                  type="submit"
                  variant="ghost"
                  size="sm"
                  aria-label={`Remove ${names.get(parentId)} as a parent of ${role.label}`}
                >
                  Remove
                </Button>
              </Form>
            )}
          </li>
        ))}
      </ul>
      {onlyParent ? (
        <p className="text-xs text-zinc-500">
          Every role keeps at least one parent; add another before removing this one.
        </p>
      ) : null}
      <Outcome result={removeResult} />
      {addable.length ? (
        <Form method="post" preventScrollReset noValidate className="space-y-3">
          <input type="hidden" name="intent" value="add-parent" />
          <input type="hidden" name="target" value={role.id} />
          <SelectField
            key={`parent-${role.id}`}
            label="Add a parent"
            name="parent"
            options={addable.map((r) => ({ value: r.id, label: r.label }))}
            defaultValue={addFailure?.values?.parent}
            errors={addFailure?.fieldErrors?.parent}
            description="The role then also reports to this one; members of the parent see what this role's members own in controlled deals."
          />
          <Outcome result={addResult} />
          <Button type="submit" variant="secondary" size="sm" pending={pendingAdd}>
            Add parent
          </Button>
        </Form>
      ) : (
        <Outcome result={addResult} />
      )}
    </Section>
  )
}

function PermissionsForm({
  role,
  options,
  result,
}: {
  role: RoleRow
  options: PermissionOption[]
  result: FormResult | undefined
}) {
  const pending = usePending('set-permissions')
  const inherited = role.effectivePermissions.filter((code) => !role.permissions.includes(code))
  return (
    <Section title="Permissions">
      <Form method="post" preventScrollReset noValidate className="space-y-3">
        <input type="hidden" name="intent" value="set-permissions" />
        <input type="hidden" name="target" value={role.id} />
        <PermissionCheckboxes
          // Remount after a save, so the boxes show what the database now holds.
          key={`${role.id}-${role.permissions.join(',')}`}
          idPrefix={`role-${role.id}`}
          options={options}
          checked={role.permissions}
          inherited={inherited}
          legend="Granted to this role"
          description="You can grant the permissions you hold yourself."
        />
        <Outcome result={result} />
        <Button type="submit" variant="secondary" size="sm" pending={pending}>
          Save permissions
        </Button>
      </Form>
    </Section>
  )
}

function DeleteSection({ role, result }: { role: RoleRow; result: FormResult | undefined }) {
  const pending = usePending('delete-role')
  return (
    <Section title="Delete">
      {role.memberCount > 0 ? (
        <p className="text-sm text-zinc-500">
          {role.memberCount === 1 ? 'One member holds' : `${role.memberCount} members hold`} this
          role. Give them another role before deleting it.
        </p>
      ) : (
        <details className="group">
          <summary className="inline-flex cursor-pointer list-none items-center rounded-lg text-sm font-medium text-red-600 hover:text-red-500 focus-visible:outline-2 focus-visible:outline-indigo-600 [&::-webkit-details-marker]:hidden">
            Delete this role…
          </summary>
          <Form method="post" preventScrollReset className="mt-3 space-y-3">
            <input type="hidden" name="intent" value="delete-role" />
            <input type="hidden" name="target" value={role.id} />
            <p className="text-sm text-zinc-600">
              Roles below it will report to its parents instead. Pending invitations to it are
              cancelled.
            </p>
            <Button type="submit" variant="danger" size="sm" pending={pending}>
              Delete {role.label}
            </Button>
          </Form>
        </details>
      )}
      <Outcome result={result} />
    </Section>
  )
}

function ReadOnlyRole({
  role,
  names,
  access,
}: {
  role: RoleRow
  names: Map<string, string>
  access: Access
}) {
  const reason = !mayManageRoles(access)
    ? 'Changing roles needs the roles.manage permission.'
    : role.id === access.roleId
      ? 'This is your role: nobody changes their own role; someone above you can.'
      : role.isRoot
        ? 'The owner role holds every permission and cannot be changed.'
        : 'You can change only the roles below your own.'
  return (
    <>
      <Section title="Reports to">
        <p className="text-sm text-zinc-700">
          {role.parentIds.map((id) => names.get(id)).join(', ') || 'Nobody: this is the top role.'}
        </p>
      </Section>
      <Section title="Permissions">
        {role.effectivePermissions.length ? (
          <ul className="flex flex-wrap gap-1.5" aria-label={`Permissions of ${role.label}`}>
            {role.effectivePermissions.map((code) => (
              <li key={code}>
                <Badge tone={role.permissions.includes(code) ? 'indigo' : 'neutral'}>{code}</Badge>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-zinc-500">No permissions.</p>
        )}
        {role.effectivePermissions.some((code) => !role.permissions.includes(code)) ? (
          <p className="text-xs text-zinc-500">Grey ones come from roles below it.</p>
        ) : null}
      </Section>
      <p className="rounded-lg bg-zinc-50 px-3 py-2 text-sm text-zinc-600">{reason}</p>
    </>
  )
}

/** The form for a new role, under a parent the viewer may use. */
export function CreateRoleForm({
  roles,
  catalogue,
  access,
  parentId,
  result,
}: {
  roles: RoleRow[]
  catalogue: PermissionOption[]
  access: Access
  parentId: string | null
  result: FormResult | undefined
}) {
  const failure = failureOf(result)
  const pending = usePending('create-role')
  const parents = usableParents(access, roles)
  const chosenParent =
    failure?.values?.parent ?? (parents.some((p) => p.id === parentId) ? parentId : access.roleId)
  const checked = failure ? (failure.values?.permissions ?? '').split(',').filter(Boolean) : []
  return (
    <Card aria-labelledby="create-role-title">
      <CardHeader
        title={<span id="create-role-title">New role</span>}
        description="It reports to the role you choose and can hold the permissions you hold."
      />
      <CardBody>
        <Form method="post" preventScrollReset noValidate className="space-y-4">
          <input type="hidden" name="intent" value="create-role" />
          <TextField
            label="Role name"
            name="name"
            defaultValue={failure?.values?.name ?? ''}
            errors={failure?.fieldErrors?.name}
            required
            maxLength={100}
            autoFocus
          />
          <TextField
            label="Description"
            name="description"
            defaultValue={failure?.values?.description ?? ''}
            errors={failure?.fieldErrors?.description}
            maxLength={500}
          />
          <SelectField
            label="Reports to"
            name="parent"
            options={parents.map((r) => ({ value: r.id, label: r.label }))}
            defaultValue={chosenParent ?? undefined}
            errors={failure?.fieldErrors?.parent}
          />
          <PermissionCheckboxes
            idPrefix="new-role"
            options={grantablePermissions(access, catalogue)}
            checked={checked}
          />
          {failure?.formError ? <Alert tone="error">{failure.formError}</Alert> : null}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" pending={pending}>
              Create role
            </Button>
            <LinkButton to="." relative="path" variant="ghost" preventScrollReset>
              Cancel
            </LinkButton>
          </div>
        </Form>
      </CardBody>
    </Card>
  )
}
