import { handleError } from '$lib/errors'
import { i18n } from '$lib/i18n'
import { problemText } from './problem'

/**
 * A settings form's save: `busy` while it runs. A refusal the admin can act on (a known code, a
 * 400 or 409, no connection) becomes `problem`, shown in the form; anything else is a toast.
 */
export class Submission {
  busy = $state(false)
  problem = $state<string | null>(null)

  async run(
    save: () => Promise<void>,
    failed: string,
    known: Record<string, string> = {},
  ): Promise<void> {
    this.problem = null
    this.busy = true
    try {
      await save()
    } catch (error) {
      const sentence = problemText(error, i18n.m, known)
      if (sentence) this.problem = sentence
      else handleError(error, failed)
    } finally {
      this.busy = false
    }
  }
}
