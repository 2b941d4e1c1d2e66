/**
 * Where to go after signing in: the `next` parameter if it is a path on this site, else null.
 * Anything that could leave the origin (`//evil.example`, `/\evil.example`, `https://…`) is refused.
 */
export function safeNextPath(next: string | null | undefined): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null
  try {
    const base = 'http://atende.invalid'
    const url = new URL(next, base)
    return url.origin === base ? url.pathname + url.search + url.hash : null
  } catch {
    return null
  }
}

/** `/login`, remembering the page to come back to (unless it is the default, the inbox). */
export function loginPath(loginBase: string, from: URL | null): string {
  const next = from ? from.pathname + from.search : ''
  return next && next !== '/inbox' && next !== '/'
    ? `${loginBase}?next=${encodeURIComponent(next)}`
    : loginBase
}
