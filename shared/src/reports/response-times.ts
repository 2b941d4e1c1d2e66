/**
 * First-response and resolution times (median and p90, overall and per agent) of the
 * conversations started on the range's local dates.
 *
 * Percentiles need every duration, but not one row each: whatever started on the
 * {@link certainDays} is on the range's dates in any zone, and the server hands those durations
 * over already grouped by agent (from per-day aggregates); only the conversations of the edges
 * (around the range's first and last dates) come row by row, to be placed by their local date.
 */
import { summarizeDurations, type DurationSummary } from './percentiles.js'
import type { ReportRange } from './range.js'
import { DAY_MS, type OffsetTimeline } from './zone.js'

/**
 * One conversation's timings: `[startedAt, firstResponseAt, firstResponder, closedAt, resolver]`
 * (ms epoch and agent ids; null where not known yet).
 */
export type ConversationTimes = readonly [
  startedAt: number,
  firstResponseAt: number | null,
  firstResponder: string | null,
  closedAt: number | null,
  resolver: string | null,
]

/** Durations (ms) grouped by agent id (null: nobody to credit), for conversations surely in range. */
export interface DurationGroups {
  firstResponse: readonly (readonly [agentId: string | null, durations: readonly number[]])[]
  resolution: readonly (readonly [agentId: string | null, durations: readonly number[]])[]
}

export interface AgentTimes {
  agentId: string
  firstResponse: DurationSummary
  resolution: DurationSummary
}

export interface ResponseTimes {
  /** First response: the first agent message after the conversation's first customer message. */
  firstResponse: DurationSummary
  /** Resolution: from the conversation's start to its close. */
  resolution: DurationSummary
  /** Per agent: first responses they gave, conversations resolved while credited to them. */
  agents: AgentTimes[]
}

/**
 * The UTC days [first, last] whose every instant falls on the range's local dates in any zone
 * (offsets stay within ±24 hours): all but the range's first and last dates. Empty (first > last)
 * for ranges of one or two days.
 */
export function certainDays(range: Pick<ReportRange, 'firstDay' | 'lastDay'>): {
  first: number
  last: number
} {
  return { first: range.firstDay + 1, last: range.lastDay - 1 }
}

export const NO_DURATIONS: DurationGroups = { firstResponse: [], resolution: [] }

/**
 * Response times from the durations surely in range (`inside`) plus conversations to place by
 * their local start date (`edges`: every conversation of the range's UTC span outside `inside`).
 */
export function foldResponseTimes(
  edges: Iterable<ConversationTimes>,
  range: ReportRange,
  timeline: OffsetTimeline,
  inside: DurationGroups = NO_DURATIONS,
): ResponseTimes {
  const firstResponses = new Map<string | null, number[]>()
  const resolutions = new Map<string | null, number[]>()
  const add = (
    groups: Map<string | null, number[]>,
    agentId: string | null,
    durations: readonly number[],
  ) => {
    const list = groups.get(agentId)
    if (list) for (const duration of durations) list.push(duration)
    else groups.set(agentId, [...durations])
  }
  for (const [agentId, durations] of inside.firstResponse) add(firstResponses, agentId, durations)
  for (const [agentId, durations] of inside.resolution) add(resolutions, agentId, durations)
  for (const [startedAt, firstResponseAt, firstResponder, closedAt, resolver] of edges) {
    const day = Math.floor((startedAt + timeline.offsetAt(startedAt)) / DAY_MS)
    if (day < range.firstDay || day > range.lastDay) continue
    if (firstResponseAt !== null && firstResponseAt >= startedAt) {
      add(firstResponses, firstResponder, [firstResponseAt - startedAt])
    }
    if (closedAt !== null && closedAt >= startedAt)
      add(resolutions, resolver, [closedAt - startedAt])
  }

  const all = (groups: Map<string | null, number[]>) => {
    let length = 0
    for (const list of groups.values()) length += list.length
    const values = new Float64Array(length)
    let at = 0
    for (const list of groups.values()) {
      values.set(list, at)
      at += list.length
    }
    return values
  }
  const ids = new Set([...firstResponses.keys(), ...resolutions.keys()])
  const agents = [...ids]
    .filter((id): id is string => id !== null)
    .sort()
    .map((agentId) => ({
      agentId,
      firstResponse: summarizeDurations(firstResponses.get(agentId) ?? []),
      resolution: summarizeDurations(resolutions.get(agentId) ?? []),
    }))
  return {
    firstResponse: summarizeDurations(all(firstResponses)),
    resolution: summarizeDurations(all(resolutions)),
    agents,
  }
}
