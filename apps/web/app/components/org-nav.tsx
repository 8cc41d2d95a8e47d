import type { IconName } from '#app/components/icons.tsx'
import { NavItem } from '#app/components/nav-item.tsx'
import { cn } from '#app/components/ui/cn.ts'
import { type Access, can } from '#app/lib/access.ts'

type OrgNavEntry = {
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
export const orgNavItems: OrgNavEntry[] = [
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
          <NavItem
            key={item.to}
            to={`/org/${slug}/${item.to}`}
            label={item.label}
            icon={item.icon}
            orientation={orientation}
          />
        ))}
      </ul>
    </nav>
  )
}
