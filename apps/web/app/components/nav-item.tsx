import { NavLink } from '@remix-run/react'
import { Icon, type IconName } from '#app/components/icons.tsx'
import { cn } from '#app/components/ui/cn.ts'

/** One section link of a navigation list: icon and label, marked when it is the current page. */
export function NavItem({
  to,
  label,
  icon,
  end,
  orientation,
}: {
  to: string
  label: string
  icon: IconName
  end?: boolean
  orientation: 'vertical' | 'horizontal'
}) {
  return (
    <li className="shrink-0">
      <NavLink
        to={to}
        end={end}
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
              name={icon}
              className={cn(
                'size-5',
                isActive ? 'text-indigo-600' : 'text-zinc-400',
                orientation === 'horizontal' && 'hidden',
              )}
            />
            {label}
          </>
        )}
      </NavLink>
    </li>
  )
}
