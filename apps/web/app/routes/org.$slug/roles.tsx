import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from '@remix-run/node'
import {
  type ShouldRevalidateFunction,
  useActionData,
  useLoaderData,
  useSearchParams,
} from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import xyflowStyles from '@xyflow/react/dist/style.css?url'
import { useCallback, useMemo } from 'react'
import { z } from 'zod'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { Alert } from '#app/components/ui/alert.tsx'
import { LinkButton } from '#app/components/ui/button.tsx'
import { Card, CardBody, CardHeader } from '#app/components/ui/card.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { formRefusal, loaderRefusal } from '#app/lib/errors.server.ts'
import { formValues, parseForm } from '#app/lib/forms.server.ts'
import type { FormResult } from '#app/lib/forms.ts'
import { redirectTo, respond } from '#app/lib/http.server.ts'
import { requireOrgMember } from '#app/lib/org.server.ts'
import { mayManageRole, mayManageRoles } from './roles/role-abilities.ts'
import { RoleGraph } from './roles/role-graph.tsx'
import { layoutRoleGraph } from './roles/role-graph-layout.ts'
import { CreateRoleForm, RolePanel } from './roles/role-panel.tsx'
import type { RoleRow } from './roles/role-row.ts'
import { RolesTable } from './roles/roles-table.tsx'

export const ErrorBoundary = OrgErrorBoundary

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: xyflowStyles }]

export const meta: MetaFunction = () => [{ title: 'Roles · Tenantbase' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const refusal = loaderRefusal(context)
  const [roles, catalogue] = await Promise.all([
    rpc(context.supabase, 'list_roles', { p_org_id: context.org.id }).catch(refusal),
    rpc(context.supabase, 'list_permissions', {}).catch(refusal),
  ])
  return respond(context, {
    access: context.access,
    roles: roles.map(
      (r): RoleRow => ({
        id: r.id ?? '',
        name: r.name ?? '',
        label: r.label ?? r.name ?? '',
        description: r.description,
        isRoot: r.is_root ?? false,
        parentIds: r.parent_role_ids ?? [],
        permissions: r.permissions ?? [],
        effectivePermissions: r.effective_permissions ?? [],
        memberCount: r.member_count ?? 0,
      }),
    ),
    catalogue: catalogue.map((p) => ({ code: p.code ?? '', description: p.description ?? '' })),
  })
}

// Choosing a role or opening the form only changes the search; the data stays the same.
export const shouldRevalidate: ShouldRevalidateFunction = ({
  currentUrl,
  nextUrl,
  formMethod,
  defaultShouldRevalidate,
}) => (formMethod || currentUrl.pathname !== nextUrl.pathname ? defaultShouldRevalidate : false)

const roleId = z.guid('Choose a role')
const name = z.string().trim().min(1, 'Enter a name').max(100, 'Use at most 100 characters')
const description = z.string().trim().max(500, 'Use at most 500 characters').optional()

const schemas = {
  'create-role': z.object({ name, description, parent: z.guid('Choose the role it reports to') }),
  'rename-role': z.object({ target: roleId, name, description }),
  'add-parent': z.object({ target: roleId, parent: z.guid('Choose a parent') }),
  'remove-parent': z.object({ target: roleId, parent: roleId }),
  'set-permissions': z.object({ target: roleId }),
  'delete-role': z.object({ target: roleId }),
}

export async function action({ request, params }: ActionFunctionArgs) {
  const context = await requireOrgMember(request, params)
  const { supabase, org } = context
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const target = String(formData.get('target') ?? '') || undefined
  const permissions = formData.getAll('permission').map(String)
  const failure = {
    intent,
    target,
    values: { ...formValues(formData), permissions: permissions.join(',') },
  }
  const done = (message: string) =>
    respond(context, { ok: true, intent, target, message } satisfies FormResult)

  switch (intent) {
    case 'create-role': {
      const form = parseForm(formData, schemas[intent])
      if (!form.ok) return respond(context, { ...form, ...failure }, { status: 400 })
      try {
        const role = await rpc(supabase, 'create_role', {
          p_org_id: org.id,
          p_name: form.data.name,
          p_label: form.data.name,
          p_description: form.data.description || null,
          p_parent_role_id: form.data.parent,
          p_permissions: permissions,
        })
        return redirectTo(context, `/org/${org.slug}/roles?role=${role?.id}&notice=created`)
      } catch (error) {
        return formRefusal(context, error, failure)
      }
    }
    case 'rename-role': {
      const form = parseForm(formData, schemas[intent])
      if (!form.ok) return respond(context, { ...form, ...failure }, { status: 400 })
      return rpc(supabase, 'update_role', {
        p_role_id: form.data.target,
        p_name: form.data.name,
        p_label: form.data.name,
        p_description: form.data.description ?? '',
      }).then(
        () => done('Saved.'),
        (error) => formRefusal(context, error, failure),
      )
    }
    case 'add-parent': {
      const form = parseForm(formData, schemas[intent])
      if (!form.ok) return respond(context, { ...form, ...failure }, { status: 400 })
      return rpc(supabase, 'add_role_parent', {
        p_role_id: form.data.target,
        p_parent_role_id: form.data.parent,
      }).then(
        () => done('Parent added.'),
        (error) => formRefusal(context, error, failure),
      )
    }
    case 'remove-parent': {
      const form = parseForm(formData, schemas[intent])
      if (!form.ok) return respond(context, { ...form, ...failure }, { status: 400 })
      return rpc(supabase, 'remove_role_parent', {
        p_role_id: form.data.target,
        p_parent_role_id: form.data.parent,
      }).then(
        () => done('Parent removed.'),
        (error) => formRefusal(context, error, failure),
      )
    }
    case 'set-permissions': {
      const form = parseForm(formData, schemas[intent])
      if (!form.ok) return respond(context, { ...form, ...failure }, { status: 400 })
      return rpc(supabase, 'set_role_permissions', {
        p_role_id: form.data.target,
        p_permissions: permissions,
      }).then(
        () => done('Permissions saved.'),
        (error) => formRefusal(context, error, failure),
      )
    }
    case 'delete-role': {
      const form = parseForm(formData, schemas[intent])
      if (!form.ok) return respond(context, { ...form, ...failure }, { status: 400 })
      try {
        await rpc(supabase, 'delete_role', { p_role_id: form.data.target })
        return redirectTo(context, `/org/${org.slug}/roles?notice=deleted`)
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

const NOTICES: Record<string, string> = {
  created: 'The role was created.',
  deleted: 'The role was deleted. Roles below it now report to its parents.',
}

export default function Roles() {
  const { roles, catalogue, access } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>() as FormResult | undefined
  const [params] = useSearchParams()
  const selected = roles.find((r) => r.id === params.get('role')) ?? null
  const mayCreate = mayManageRoles(access)
  const creating =
    mayCreate && (params.has('new') || (result?.intent === 'create-role' && !result.ok))
  // A notice from the page's arrival (created, deleted) gives way once the person acts here.
  const notice = result ? undefined : NOTICES[params.get('notice') ?? '']
  const layout = useMemo(() => layoutRoleGraph(roles), [roles])
  const manageableIds = useMemo(
    () => roles.filter((r) => mayManageRole(access, r.id)).map((r) => r.id),
    [roles, access],
  )
  const hrefFor = useCallback((id: string) => `?role=${id}`, [])

  return (
    <>
      <PageHeader
        title="Roles"
        description="Roles form a hierarchy: a role holds the permissions of every role below it, and sees controlled deals of the roles below it."
        actions={
          mayCreate && !creating ? (
            <LinkButton to="?new" preventScrollReset>
              New role
            </LinkButton>
          ) : null
        }
      />
      {notice ? (
        <Alert tone="success" className="mb-6">
          {notice}
        </Alert>
      ) : null}

      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-[minmax(0,1fr)_21rem]">
        {/* Stays in view while a long panel beside it scrolls. */}
        <Card aria-labelledby="role-graph-title" className="lg:sticky lg:top-6">
          <CardHeader
            title={<span id="role-graph-title">Hierarchy</span>}
            description="The owner role is at the top; each role sits below the roles it reports to."
          />
          <RoleGraph
            layout={layout}
            selectedId={selected?.id ?? null}
            myRoleId={access.roleId}
            manageableIds={manageableIds}
            hrefFor={hrefFor}
          />
        </Card>

        {creating ? (
          <CreateRoleForm
            roles={roles}
            catalogue={catalogue}
            access={access}
            parentId={params.get('parent')}
            result={result?.intent === 'create-role' ? result : undefined}
          />
        ) : selected ? (
          <RolePanel
            key={selected.id}
            role={selected}
            roles={roles}
            catalogue={catalogue}
            access={access}
            result={result}
          />
        ) : (
          <Card className="hidden lg:block">
            <CardHeader title="Choose a role" headingLevel={2} />
            <CardBody className="space-y-3 text-sm text-zinc-600">
              <p>Choose a role in the graph or in the list to see its permissions.</p>
              {mayCreate ? (
                <p>
                  You can change the{' '}
                  {manageableIds.length === 1 ? 'role' : `${manageableIds.length} roles`} below
                  yours; they are drawn in white.
                </p>
              ) : (
                <p>Changing roles needs the roles.manage permission.</p>
              )}
            </CardBody>
          </Card>
        )}
      </div>

      <Card className="mt-6" aria-labelledby="roles-list-title">
        <CardHeader
          title={<span id="roles-list-title">All roles</span>}
          description={`${roles.length} ${roles.length === 1 ? 'role' : 'roles'} in this organization.`}
        />
        <RolesTable roles={roles} access={access} selectedId={selected?.id ?? null} />
      </Card>
    </>
  )
}
