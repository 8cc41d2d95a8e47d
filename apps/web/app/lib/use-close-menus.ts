import { useLocation } from '@remix-run/react'
import { useEffect } from 'react'

/**
 * Enhances the <details> menus (Menu, Confirm) once JavaScript runs: they close on a click
 * outside, on Escape (focus returns to their button) and after every navigation. Without
 * JavaScript they still open and close with their own button.
 */
export function useCloseMenus(): void {
  const location = useLocation()
  useEffect(() => {
    for (const open of document.querySelectorAll('details[open]')) open.removeAttribute('open')
  }, [location])
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      for (const open of document.querySelectorAll('details[open]')) {
        if (!open.contains(event.target as Node)) open.removeAttribute('open')
      }
    }
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return
      for (const open of document.querySelectorAll('details[open]')) {
        open.removeAttribute('open')
        open.querySelector('summary')?.focus()
      }
    }
    document.addEventListener('click', onClick)
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('click', onClick)
      document.removeEventListener('keydown', onKey)
    }
  }, [])
}
