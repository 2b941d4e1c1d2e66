import { browser } from '$app/environment'

/**
 * Whether the browser believes it has a network (`navigator.onLine` and its online/offline events).
 * It can be wrong in one direction only: "online" does not promise the server is reachable, which
 * is why the sync status also listens to the socket. "Offline" is trustworthy and immediate, even
 * when an already-open socket has not noticed yet (Chromium's offline emulation keeps it open).
 */
class NetworkStatus {
  online = $state(true)

  constructor() {
    if (!browser) return
    this.online = navigator.onLine
    window.addEventListener('online', () => (this.online = true))
    window.addEventListener('offline', () => (this.online = false))
  }
}

export const network = new NetworkStatus()
