/** What a settings page loaded: its data, nothing (an agent opened it), or a failure. */
export type Loaded<T> =
  { state: 'ready'; value: T } | { state: 'forbidden' } | { state: 'failed'; error: unknown }

/**
 * Runs `read` for admins only: the settings layout shows agents the refusal, and the page must not
 * have asked the server for anything meanwhile (page loads run beside the layout's).
 */
export async function loadForAdmin<T>(
  parent: () => Promise<{ admin: boolean }>,
  read: () => Promise<T>,
): Promise<Loaded<T>> {
  if (!(await parent()).admin) return { state: 'forbidden' }
  try {
    return { state: 'ready', value: await read() }
  } catch (error) {
    return { state: 'failed', error }
  }
}
