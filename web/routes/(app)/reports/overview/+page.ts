import type { Overview } from '@atende/shared'
import { fetchReport } from '../report-query'

export interface OverviewReport extends Overview {
  shifts: { morning: string; afternoon: string; night: string }
}

export async function load({ fetch, parent }) {
  const { filters } = await parent()
  return { result: await fetchReport<OverviewReport>(fetch, 'overview', filters) }
}
