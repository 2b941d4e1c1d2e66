import type { Volume } from '@atende/shared'
import { fetchReport } from '../report-query'

export async function load({ fetch, parent }) {
  const { filters } = await parent()
  return { result: await fetchReport<Volume>(fetch, 'volume', filters) }
}
