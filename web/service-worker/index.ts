/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * The offline app shell. The app is a single-page app (ssr = false) whose pages are all the same
 * HTML shell plus the built JS/CSS, so caching the build, the static files and one copy of the
 * shell is enough for any URL, /inbox/<id> deep links included, to open without a network. Data
 * never goes through here: it is in IndexedDB (y-indexeddb) and on the sync socket; /api, /sync,
 * /webhooks and /healthz are left to the network.
 *
 * Each build has its own cache (named by Kit's `version`), filled completely at install, so a page
 * is always served with the JS of the same build. The previous cache is deleted on activation.
 */
import { build, files, version } from '$service-worker'

const sw = self as unknown as ServiceWorkerGlobalScope
const CACHE = `atende-shell-${version}`
/** Where the shell is stored; any navigation is answered with it. */
const SHELL = '/'
const ASSETS = new Set([...build, ...files])
const NETWORK_ONLY = /^\/(api|sync|webhooks|healthz|simulator\/graph)(\/|$)/

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE)
      await cache.addAll([...ASSETS])
      // The shell is the same for every page (client-side rendering); fetch it fresh.
      const shell = await fetch(SHELL, { cache: 'reload', credentials: 'same-origin' })
      if (shell.ok) await cache.put(SHELL, shell)
      await sw.skipWaiting()
    })(),
  )
})

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key !== CACHE && key.startsWith('atende-shell-')) await caches.delete(key)
      }
      await sw.clients.claim()
    })(),
  )
})

sw.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== sw.location.origin || NETWORK_ONLY.test(url.pathname)) return

  if (ASSETS.has(url.pathname)) {
    // Built files are immutable within a version: the cache is the truth.
    event.respondWith(
      caches.match(url.pathname, { cacheName: CACHE }).then((hit) => hit ?? fetch(request)),
    )
    return
  }

  if (request.mode === 'navigate') {
    // The cached shell first: the app opens at once, online or not. It is the shell of this
    // worker's own build, so it always matches the cached JS; a new build brings a new worker.
    event.respondWith(
      (async () => {
        const hit = await caches.match(SHELL, { cacheName: CACHE })
        if (hit) return hit
        const response = await fetch(request)
        return response
      })(),
    )
  }
})
