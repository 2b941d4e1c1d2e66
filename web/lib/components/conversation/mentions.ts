/**
 * @mentions in notes: finding the "@query" being typed, matching agents, and working out at send
 * time which picked agents are still mentioned (the agent may have deleted one).
 */
export interface MentionCandidate {
  id: string
  name: string
}

/** The `@query` right before the caret, or null (an `@` inside a word, like an e-mail, is not one). */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|\s)@([^\s@]{0,40})$/u.exec(text.slice(0, caret))
  if (!match) return null
  return { start: caret - match[2]!.length - 1, query: match[2]! }
}

function fold(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
}

/** Agents whose name (any word of it) starts with the query, best first; at most `limit`. */
export function matchAgents<T extends MentionCandidate>(
  agents: readonly T[],
  query: string,
  limit = 8,
): T[] {
  const wanted = fold(query)
  const scored = agents.flatMap((agent) => {
    const name = fold(agent.name)
    if (name.startsWith(wanted)) return [{ agent, score: 0 }]
    if (name.split(/\s+/).some((word) => word.startsWith(wanted))) return [{ agent, score: 1 }]
    return []
  })
  return scored
    .sort((a, b) => a.score - b.score || a.agent.name.localeCompare(b.agent.name))
    .slice(0, limit)
    .map((entry) => entry.agent)
}

/** Replaces the `@query` at `start` with `@Name ` and returns the new text and caret. */
export function insertMention(
  text: string,
  start: number,
  caret: number,
  name: string,
): { text: string; caret: number } {
  const inserted = `@${name} `
  return {
    text: text.slice(0, start) + inserted + text.slice(caret),
    caret: start + inserted.length,
  }
}

/** Ids of the picked agents whose `@Name` is still in the text. */
export function mentionedIds(text: string, picked: readonly MentionCandidate[]): string[] {
  return [...new Set(picked.filter((agent) => text.includes(`@${agent.name}`)).map((a) => a.id))]
}
