import type { Overview } from '@atende/shared'
import { fetchReport } from '../report-query'

export interface OverviewReport extends Overview {
  shifts: { morning: string; afternoon: string; night: string }
  /** Conversations started in the range by where they came from (`ad`, `post`, `direct`). */
  conversationsBySource: Array<{ source: string; conversations: number }>
}

export async function load({ fetch, parent }) {
  const { filters } = await parent()
  return { result: await fetchReport<OverviewReport>(fetch, 'overview', filters) }
}
