import { Form, Link } from '@remix-run/react'
import { Icon } from '#app/components/icons.tsx'
import { Avatar } from '#app/components/ui/avatar.tsx'
import { Menu, menuItemClasses } from '#app/components/ui/menu.tsx'

/** The signed-in person: who they are and how to sign out (a POST). */
export function UserMenu({
  email,
  name,
  placement,
  isPlatformAdmin = false,
}: {
  email: string
  name: string | null
  placement: 'sidebar' | 'header'
  /** Shows the way to the operator's screens (/admin). */
  isPlatformAdmin?: boolean
}) {
  return (
    <Menu
      align={placement === 'header' ? 'right' : 'left'}
      side={placement === 'sidebar' ? 'top' : 'bottom'}
      className={placement === 'sidebar' ? 'w-full' : undefined}
      summaryClassName={placement === 'sidebar' ? 'w-full p-1.5 hover:bg-zinc-100' : 'p-1'}
      label={
        <>
          <Avatar name={name || email} />
          <span className={placement === 'sidebar' ? 'min-w-0 text-left' : 'sr-only'}>
            <span className="sr-only">Account: </span>
            <span className="block truncate text-sm font-medium text-zinc-900">
              {name || email}
            </span>
            {name ? <span className="block truncate text-xs text-zinc-500">{email}</span> : null}
          </span>
        </>
      }
    >
      <div>
        <p className="truncate px-2.5 pt-1 pb-1.5 text-xs text-zinc-500">{email}</p>
        <Link to="/account" className={menuItemClasses}>
          <Icon name="user" className="size-4 text-zinc-400" />
          Your profile
        </Link>
        {isPlatformAdmin ? (
          <Link to="/admin" className={menuItemClasses}>
            <Icon name="shield" className="size-4 text-zinc-400" />
            Platform admin
          </Link>
        ) : null}
        <Form method="post" action="/sign-out">
          <button type="submit" className={menuItemClasses}>
            <Icon name="signOut" className="size-4 text-zinc-400" />
            Sign out
          </button>
        </Form>
      </div>
    </Menu>
  )
}
