export interface Toast {
  id: number
  kind: 'error' | 'info'
  message: string
}

const TOAST_MS = 8000

/** Short messages for the agent (errors mostly), shown by `Toasts.svelte` in a live region. */
class ToastQueue {
  items = $state.raw<Toast[]>([])
  #nextId = 1

  show(message: string, kind: Toast['kind'] = 'info'): void {
    const id = this.#nextId++
    this.items = [...this.items, { id, kind, message }]
    setTimeout(() => this.dismiss(id), TOAST_MS)
  }

  dismiss(id: number): void {
    this.items = this.items.filter((toast) => toast.id !== id)
  }
}

export const toasts = new ToastQueue()
