/**
 * The one place the app calls the HTTP API. Requests are same-origin: the `atende_session` cookie
 * (HttpOnly, set by the server at sign-in) authenticates them, so no token is kept in JS.
 */
export type Fetch = typeof fetch

/** A request that never reached the server, or got no usable answer (offline, server down). */
export class UnreachableError extends Error {
  readonly code = 'unreachable'
  constructor(cause: unknown) {
    super('The server could not be reached', { cause })
  }
}

/** Sends a request with a JSON body (if any); throws `UnreachableError` when there is no response. */
export async function request(
  fetchFn: Fetch,
  path: string,
  init: { method?: string; json?: unknown } = {},
): Promise<Response> {
  try {
    return await fetchFn(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    })
  } catch (error) {
    throw new UnreachableError(error)
  }
}

/** Parses a JSON body, or returns null when it is not JSON. */
export async function readJson<T>(response: Response): Promise<T | null> {
  try {
    return (await response.json()) as T
  } catch {
    return null
  }
}
