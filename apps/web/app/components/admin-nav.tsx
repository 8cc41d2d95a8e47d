import { NavLink } from '@remix-run/react'
import { Icon, type IconName } from '#app/components/icons.tsx'
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
          <li key={item.to} className="shrink-0">
            <NavLink
              to={item.to}
              end={item.end}
              prefetch="intent"
              className={({ isActive }) =>
                cn(
                  'flex items-center gap-2.5 rounded-lg text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-indigo-600',
                  orientation === 'vertical' ? 'px-2.5 py-2' : 'px-3 py-1.5',
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
