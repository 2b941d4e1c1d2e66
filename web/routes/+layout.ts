// A local-first single-page app: the server only hands out the shell; data comes from IndexedDB
// and the sync socket in the browser. (The offline service worker comes later.)
export const ssr = false
export const prerender = false
