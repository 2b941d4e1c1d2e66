export interface Toast {
  id: number
  kind: 'error' | 'info'
  message: string
}

/** How long a note stays; errors stay until dismissed (the agent may need to act on them). */
const INFO_MS = 5000

/** Short messages for the agent, shown by `Toasts.svelte` in a live region. */
class ToastQueue {
  items = $state.raw<Toast[]>([])
  /** Set while the app's strip under its header shows them (then no floating copy is needed). */
  inline = $state(false)
  #nextId = 1

  show(message: string, kind: Toast['kind'] = 'info'): void {
    // The same words again: the one on screen stays (with a fresh timer), no pile of copies.
    const same = this.items.find((toast) => toast.message === message && toast.kind === kind)
    if (same) this.dismiss(same.id)
    const id = this.#nextId++
    this.items = [...this.items, { id, kind, message }]
    if (kind === 'info') setTimeout(() => this.dismiss(id), INFO_MS)
  }

  dismiss(id: number): void {
    this.items = this.items.filter((toast) => toast.id !== id)
  }
}

export const toasts = new ToastQueue()
