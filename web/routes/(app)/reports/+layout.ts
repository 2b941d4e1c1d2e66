import { filtersFrom } from './report-query'

export function load({ url }) {
  return { filters: filtersFrom(url) }
}
