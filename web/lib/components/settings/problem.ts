import { ApiRequestError, UnreachableError } from '$lib/api/http'
import type { Dictionary } from '$lib/i18n'

/**
 * What to tell the admin when a settings change fails, or null when only a generic message fits
 * (the caller then reports through `handleError`). `known` maps the server's error codes to
 * translated sentences; any other 400 or 409 shows the server's message, which names the field.
 */
export function problemText(
  error: unknown,
  m: Dictionary,
  known: Record<string, string> = {},
): string | null {
  if (error instanceof UnreachableError) return m.settings.unreachable
  if (!(error instanceof ApiRequestError)) return null
  const sentence = known[error.code]
  if (sentence) return sentence
  if (error.status === 400 || error.status === 409) return m.settings.invalid(error.message)
  return null
}
