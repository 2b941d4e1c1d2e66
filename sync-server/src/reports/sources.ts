/**
 * Conversations started in a range by where they came from: the ad or post of their referral, or
 * `direct`. Each conversation is placed by the local date of its start in the range's zone, like
 * the other reports.
 */
import { DAY_MS, timelineFor, utcSpan, type ReportRange } from '@atende/shared'
import type { SourceStore } from '../store/conversation-sources.js'

export interface SourceCount {
  /** `ad`, `post`, or `direct` (no referral). */
  source: string
  conversations: number
}

/** Most conversations first; ties by source name. */
export function conversationsBySource(store: SourceStore, range: ReportRange): SourceCount[] {
  const { start, end } = utcSpan(range)
  const timeline = timelineFor(range)
  const counts = new Map<string, number>()
  for (const [startedAt, source] of store.startedBetween(start, end)) {
    const day = Math.floor((startedAt + timeline.offsetAt(startedAt)) / DAY_MS)
    if (day < range.firstDay || day > range.lastDay) continue
    counts.set(source, (counts.get(source) ?? 0) + 1)
  }
  return [...counts]
    .map(([source, conversations]) => ({ source, conversations }))
    .sort((a, b) => b.conversations - a.conversations || a.source.localeCompare(b.source))
}
