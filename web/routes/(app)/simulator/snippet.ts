import type { SimEntry } from './api'

/** A short, human label of a chat entry, for quotes and accessible names. */
export function snippet(entry: SimEntry, labels: { image: string; location: string }): string {
  const text = entry.text?.trim() || (entry.type === 'image' ? labels.image : '')
  const label = text || (entry.type === 'location' ? labels.location : entry.type)
  return label.length > 40 ? label.slice(0, 39) + '…' : label
}
