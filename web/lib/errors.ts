import { toasts } from '$lib/state/toasts.svelte'

/**
 * The one way the app reports a failure: logs the error for developers and shows the agent a
 * message they can act on (already translated by the caller).
 */
export function handleError(error: unknown, userMessage: string): void {
  console.error(error)
  toasts.show(userMessage, 'error')
}
