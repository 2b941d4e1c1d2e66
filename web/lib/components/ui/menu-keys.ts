/**
 * The keyboard of a WAI-ARIA menu opened by a menu button: arrows move between its items (wrapping
 * round), Home and End jump to the ends, Escape closes it and returns focus to the button, Tab
 * closes it and lets focus move on.
 */
export function menuKeydown(
  event: KeyboardEvent,
  items: readonly HTMLElement[],
  hide: (returnFocus: boolean) => void,
): void {
  const index = items.indexOf(document.activeElement as HTMLElement)
  if (event.key === 'Escape') {
    event.preventDefault()
    hide(true)
  } else if (event.key === 'Tab') {
    hide(false)
  } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    event.preventDefault()
    const step = event.key === 'ArrowDown' ? 1 : -1
    items[(index + step + items.length) % items.length]?.focus()
  } else if (event.key === 'Home' || event.key === 'End') {
    event.preventDefault()
    ;(event.key === 'Home' ? items[0] : items[items.length - 1])?.focus()
  }
}

/** The enabled menu items of `menu`, in order. */
export function menuItems(menu: HTMLElement | undefined): HTMLElement[] {
  return menu ? [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]:not(:disabled)')] : []
}
