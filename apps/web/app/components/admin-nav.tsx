import type { IconName } from '#app/components/icons.tsx'
import { NavItem } from '#app/components/nav-item.tsx'
import { cn } from '#app/components/ui/cn.ts'

const items: Array<{ to: string; label: string; icon: IconName; end?: boolean }> = [
  { to: '/admin', label: 'Tenants', icon: 'units', end: true },
  { to: '/admin/tenants/new', label: 'Provision a tenant', icon: 'plus' },
  { to: '/admin/flags', label: 'Feature flags', icon: 'flag' },
  { to: '/admin/settings', label: 'Settings', icon: 'settings' },
  { to: '/admin/log', label: 'Action log', icon: 'list' },
]

/** The operator's sections (the platform admin layout). */
export function AdminNav({ orientation }: { orientation: 'vertical' | 'horizontal' }) {
  return (
    <nav aria-label="Platform admin">
      <ul
        className={cn(
          orientation === 'vertical'
            ? 'space-y-0.5'
            : '-mx-4 flex gap-1 overflow-x-auto px-4 pb-2 [scrollbar-width:none]',
        )}
      >
        {items.map((item) => (
          <NavItem
            key={item.to}
            to={item.to}
            end={item.end}
            label={item.label}
            icon={item.icon}
            orientation={orientation}
          />
        ))}
      </ul>
    </nav>
  )
}
