import { NavLink } from '@remix-run/react'
import { Icon, type IconName } from '#app/components/icons.tsx'
import { cn } from '#app/components/ui/cn.ts'
import { type Access, can } from '#app/lib/access.ts'

type NavItem = {
  /** Relative to /org/<slug>/. */
  to: string
  label: string
  icon: IconName
  /** Shown only to viewers who may use the page (the page checks again). */
  when?: (access: Access) => boolean
}

/**
 * The organization's sections, in order. A new screen adds its route in app/routes.ts and a
 * line here.
 */
export const orgNavItems: NavItem[] = [
  { to: 'dashboard', label: 'Dashboard', icon: 'home' },
  { to: 'deals', label: 'Deals', icon: 'deals' },
  { to: 'members', label: 'Members', icon: 'members' },
  { to: 'units', label: 'Units', icon: 'units' },
  { to: 'roles', label: 'Roles', icon: 'roles' },
  { to: 'audit', label: 'Audit log', icon: 'audit', when: (a) => can(a, 'audit.read') },
  { to: 'billing', label: 'Billing', icon: 'billing', when: (a) => can(a, 'billing.manage') },
  {
    to: 'settings',
    label: 'Settings',
    icon: 'settings',
    when: (a) => a.isOwner || can(a, 'organization.update'),
  },
]

export function OrgNav({
  slug,
  access,
  orientation,
}: {
  slug: string
  access: Access
  orientation: 'vertical' | 'horizontal'
}) {
  const items = orgNavItems.filter((item) => !item.when || item.when(access))
  return (
    <nav aria-label="Organization">
      <ul
        className={cn(
          orientation === 'vertical'
            ? 'space-y-0.5'
            : // Wraps rather than scrolls, so every section (and the current one) stays in view.
              '-mx-1 flex flex-wrap gap-x-0.5 gap-y-1 pb-2',
        )}
      >
        {items.map((item) => (
          <li key={item.to} className="shrink-0">
            <NavLink
              to={`/org/${slug}/${item.to}`}
              prefetch="intent"
              className={({ isActive }) =>
                cn(
                  'flex items-center gap-2.5 rounded-lg text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-indigo-600',
                  orientation === 'vertical' ? 'px-2.5 py-2' : 'px-2.5 py-1.5',
                  isActive
                    ? 'bg-zinc-100 text-zinc-900'
                    : 'text-zinc-600 hover:bg-zinc-50 hover:text-zinc-900',
                )
              }
            >
              {({ isActive }) => (
                <>
                  <Icon
                    name={item.icon}
                    className={cn(
                      'size-5',
                      isActive ? 'text-indigo-600' : 'text-zinc-400',
                      orientation === 'horizontal' && 'hidden',
                    )}
                  />
                  {item.label}
                </>
              )}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  )
}
