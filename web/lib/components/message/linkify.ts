/**
 * Splits customer (or agent) text into plain text and links, so the view can render text nodes and
 * `<a>` elements: never HTML. Only http(s) links and bare `www.` hosts become links; trailing
 * punctuation that ends a sentence is left out of the link, and a closing parenthesis only stays
 * when the link opened one (Wikipedia-style URLs).
 */
export type TextSegment =
  { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string }

const CANDIDATE = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi
const TRAILING = /[.,;:!?'"”’»\]}>]+$/

function trimLink(raw: string): string {
  let link = raw.replace(TRAILING, '')
  while (link.endsWith(')')) {
    const opens = link.split('(').length - 1
    const closes = link.split(')').length - 1
    if (closes <= opens) break
    link = link.slice(0, -1).replace(TRAILING, '')
  }
  return link
}

function safeHref(link: string): string | null {
  const candidate = /^www\./i.test(link) ? `https://${link}` : link
  try {
    const url = new URL(candidate)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null
  } catch {
    return null
  }
}

export function linkify(text: string): TextSegment[] {
  const segments: TextSegment[] = []
  let last = 0
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index
    const link = trimLink(match[0])
    const href = link.length > 0 ? safeHref(link) : null
    if (!href) continue
    if (start > last) segments.push({ kind: 'text', text: text.slice(last, start) })
    segments.push({ kind: 'link', text: link, href })
    last = start + link.length
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) })
  return segments
}
