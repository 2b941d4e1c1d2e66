/** What Enter in the composer's textbox does. */
export type EnterIntent = 'newline' | 'pick' | 'nothing' | 'send'

export interface EnterContext {
  shiftKey: boolean
  /** An input method is composing (Enter confirms its text, not ours). */
  isComposing: boolean
  /** A picker the textbox drives is open: canned responses (from "/") or @mention suggestions. */
  pickerOpen: boolean
  /** That picker has a highlighted item to pick (it may say "No canned responses yet"). */
  highlighted: boolean
}

/**
 * Enter sends, Shift+Enter is a new line, and an input method keeps its Enter. While a picker is
 * open Enter picks its highlighted item, or does nothing when it has none: it never sends, so "/"
 * followed by Enter does not send "/" to the customer.
 */
export function enterIntent(context: EnterContext): EnterIntent {
  if (context.isComposing || context.shiftKey) return 'newline'
  if (context.pickerOpen) return context.highlighted ? 'pick' : 'nothing'
  return 'send'
}
