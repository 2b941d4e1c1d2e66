/**
 * Named placeholders in canned responses: `{{contact.name}}`, `{{agent.first_name}}` … filled in
 * from the conversation's contact and the signed-in agent when the response is put in the
 * composer, so "Olá {{nome}}" reaches the customer as "Olá Emily". Each key has Portuguese
 * aliases (`{{contato.nome}}`, `{{agente.nome}}`, and the bare `{{nome}}` for the contact's name);
 * names are read case-insensitively with spaces inside the braces ignored. Anything else between
 * double braces is an unknown placeholder: the server refuses to save it, the editor says so, and
 * it is never filled in with a guess.
 */

export const PLACEHOLDER_KEYS = [
  'contact.name',
  'contact.first_name',
  'contact.phone',
  'agent.name',
  'agent.first_name',
] as const
export type PlaceholderKey = (typeof PLACEHOLDER_KEYS)[number]

/** Every name a placeholder may be written with (lower case), and the key it stands for. */
export const PLACEHOLDER_ALIASES: Readonly<Record<string, PlaceholderKey>> = {
  'contact.name': 'contact.name',
  'contact.first_name': 'contact.first_name',
  'contact.phone': 'contact.phone',
  'agent.name': 'agent.name',
  'agent.first_name': 'agent.first_name',
  'contato.nome': 'contact.name',
  'contato.primeiro_nome': 'contact.first_name',
  'contato.telefone': 'contact.phone',
  'agente.nome': 'agent.name',
  'agente.primeiro_nome': 'agent.first_name',
  nome: 'contact.name',
}

/** One `{{…}}` found in a text. */
export interface FoundPlaceholder {
  /** As written, braces included: `{{ Nome }}`. */
  raw: string
  /** The name inside the braces, trimmed and lower-cased: `nome`. */
  name: string
  /** The key it stands for, or null when no placeholder has that name. */
  key: PlaceholderKey | null
  /** Where `raw` starts in the text. */
  index: number
}

// `{{`, anything but braces and line breaks (at most 60 characters), `}}`.
const PLACEHOLDER = /\{\{([^{}\n]{0,60})\}\}/g

/** The key a placeholder name (without braces) stands for, or null. */
export function placeholderKey(name: string): PlaceholderKey | null {
  return PLACEHOLDER_ALIASES[name.trim().toLowerCase()] ?? null
}

/** Every `{{…}}` in the text, in order, known or not. */
export function findPlaceholders(text: string): FoundPlaceholder[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => {
    const name = match[1]!.trim().toLowerCase()
    return { raw: match[0], name, key: placeholderKey(name), index: match.index }
  })
}

/** The unknown placeholders of a text as written (`{{foo}}`), each once, in order. */
export function unknownPlaceholders(text: string): string[] {
  const unknown = findPlaceholders(text)
    .filter((found) => found.key === null)
    .map((found) => found.raw)
  return [...new Set(unknown)]
}

/** What the placeholders stand for: the contact's and the agent's names and the phone. */
export interface PlaceholderSources {
  contact: { name?: string; phone?: string }
  agent: { name?: string }
}

function firstName(name: string | undefined): string {
  return (name ?? '').trim().split(/\s+/)[0] ?? ''
}

/** The value of each key from the contact and the agent (empty when not known). */
export function placeholderValues(sources: PlaceholderSources): Record<PlaceholderKey, string> {
  const contactName = sources.contact.name?.trim() ?? ''
  const agentName = sources.agent.name?.trim() ?? ''
  return {
    'contact.name': contactName,
    'contact.first_name': firstName(contactName),
    'contact.phone': sources.contact.phone?.trim() ?? '',
    'agent.name': agentName,
    'agent.first_name': firstName(agentName),
  }
}

/**
 * The text with each known placeholder replaced by its value. Unknown ones are left as written
 * (saving refuses them, so only a response saved before placeholders existed can have one, and
 * the agent sees it in the composer before sending).
 */
export function fillPlaceholders(
  text: string,
  values: Partial<Record<PlaceholderKey, string>>,
): string {
  return text.replace(PLACEHOLDER, (raw, name: string) => {
    const key = placeholderKey(name)
    return key === null ? raw : (values[key] ?? '')
  })
}
