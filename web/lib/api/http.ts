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

/** The server answered with an error: its `{error: {code, message}}`, or `unexpected`. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** Reads the server's `{error: {code, message}}` from a failed response. */
export async function apiError(response: Response): Promise<ApiRequestError> {
  const body = await readJson<{ error?: { code?: string; message?: string } }>(response)
  return new ApiRequestError(
    response.status,
    body?.error?.code ?? 'unexpected',
    body?.error?.message ?? `HTTP ${response.status}`,
  )
}

/**
 * Calls the API and answers the JSON body; a 204 (no body) answers `null`. A failure throws
 * `ApiRequestError` (or `UnreachableError` when there was no response).
 */
export async function callApi<T>(
  fetchFn: Fetch,
  path: string,
  init: { method?: string; json?: unknown } = {},
): Promise<T> {
  const response = await request(fetchFn, path, init)
  if (!response.ok) throw await apiError(response)
  if (response.status === 204) return null as T
  const body = await readJson<T>(response)
  if (body === null) throw new ApiRequestError(response.status, 'unexpected', 'Not JSON')
  return body
}
