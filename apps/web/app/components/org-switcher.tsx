import { Form } from '@remix-run/react'
import { Icon } from '#app/components/icons.tsx'
import { Menu, menuItemClasses } from '#app/components/ui/menu.tsx'

type Org = { id: string; slug: string; name: string; roleLabel: string }

function OrgMark({ name, logoUrl }: { name: string; logoUrl?: string | null }) {
  if (logoUrl) {
    return (
      <img
        src={logoUrl}
        alt=""
        className="size-8 shrink-0 rounded-lg object-cover ring-1 ring-zinc-200"
      />
    )
  }
  return (
    <span
      aria-hidden="true"
      className="grid size-8 shrink-0 place-items-center rounded-lg bg-indigo-600 text-sm font-semibold text-white"
    >
      {name.slice(0, 1).toUpperCase()}
    </span>
  )
}

/**
 * Lists the viewer's organizations; choosing one makes it active (set_active_organization)
 * and refreshes the session, so the token's claims follow. Plain form buttons: works without
 * JavaScript and with the keyboard.
 */
export function OrgSwitcher({
  current,
  organizations,
  logoUrl,
}: {
  current: Org
  organizations: Org[]
  /** The current organization's logo (settings), shown instead of its initial. */
  logoUrl?: string | null
}) {
  return (
    <Menu
      className="w-full"
      summaryClassName="w-full p-1.5 hover:bg-zinc-100"
      label={
        <>
          <OrgMark name={current.name} logoUrl={logoUrl} />
          <span className="min-w-0 text-left">
            <span className="sr-only">Organization: </span>
            <span className="block truncate text-sm font-semibold text-zinc-900">
              {current.name}
            </span>
            <span className="block truncate text-xs text-zinc-500">{current.roleLabel}</span>
          </span>
        </>
      }
    >
      <p className="px-2.5 pt-1 pb-1.5 text-xs font-medium text-zinc-500">Switch organization</p>
      <Form method="post" action="/switch-organization">
        <ul>
          {organizations.map((org) => (
            <li key={org.id}>
              <button
                type="submit"
                name="slug"
                value={org.slug}
                aria-current={org.id === current.id ? 'true' : undefined}
                className={menuItemClasses}
              >
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-medium">{org.name}</span>
                  <span className="block truncate text-xs text-zinc-500">{org.roleLabel}</span>
                </span>
                {org.id === current.id ? (
                  <Icon name="check" className="size-4 text-indigo-600" />
                ) : null}
              </button>
            </li>
          ))}
        </ul>
      </Form>
    </Menu>
  )
}
