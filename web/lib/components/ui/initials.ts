/**
 * Up to two initials for an avatar: first and last word of the name ("Ana Maria Souza" → "AS").
 * Falls back to the first characters of a single word, and to "?" for an empty name. Uses code
 * points, so an accented or emoji first letter is not cut in half.
 */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  const first = words[0]
  if (!first) return '?'
  const last = words.length > 1 ? words[words.length - 1] : undefined
  const letters = last ? [...first][0]! + [...last][0]! : [...first].slice(0, 2).join('')
  return letters.toLocaleUpperCase()
}
