/**
 * Whether the server runs the demo (the simulated WhatsApp), as last heard from `/healthz`, kept on
 * this device. Offline the server cannot say, and forgetting would hide the "Demo: simulated
 * WhatsApp" badge and the Simulator link from an agent who is still in the demo; so the last
 * known mode is shown until the server answers again. Not tied to an agent: it is the server's.
 */
import type { Health } from '$lib/api/session'

const KEY = 'atende.demo-mode'

/** The mode `health` reports (and remembers), or the last one remembered when it is null. */
export function demoMode(health: Pick<Health, 'demo'> | null): boolean {
  try {
    if (health) {
      localStorage.setItem(KEY, health.demo ? 'demo' : 'live')
      return health.demo
    }
    return localStorage.getItem(KEY) === 'demo'
  } catch {
    // Without storage only the server can tell.
    return health?.demo ?? false
  }
}
