import type { DurationSummary } from '@atende/shared'
import { fetchReport } from '../report-query'

export interface ResponseTimesReport {
  firstResponse: DurationSummary
  resolution: DurationSummary
  agents: {
    agentId: string
    name: string | null
    firstResponse: DurationSummary
    resolution: DurationSummary
  }[]
}

export async function load({ fetch, parent }) {
  const { filters } = await parent()
  return { result: await fetchReport<ResponseTimesReport>(fetch, 'response-times', filters) }
}
