/**
 * Inbox card previews. The server stores facts, never display words: a card keeps the customer's
 * own words (`ownWordsOf`) and the facts of what they sent (`factsOf`, both in shared), and each
 * reader's screen words them in its language.
 */

/** Longest preview kept on an inbox card. */
export const PREVIEW_LENGTH = 200

/** A one-line preview for an inbox card. */
export function preview(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > PREVIEW_LENGTH ? line.slice(0, PREVIEW_LENGTH - 1) + '…' : line
}
