import { apiError, callApi, readJson, request, type Fetch } from './http'

/** 'public': for replies to the customer; 'internal': for internal notes. */
export type CannedResponseKind = 'public' | 'internal'

/** A saved text an agent picks in the composer and edits before sending. */
export interface CannedResponse {
  id: string
  title: string
  text: string
  kind: CannedResponseKind
  createdBy: string
  createdAt: number
}

/** GET /api/canned-responses: every canned response, by title. */
export async function getCannedResponses(fetchFn: Fetch): Promise<CannedResponse[]> {
  const response = await request(fetchFn, '/api/canned-responses')
  if (!response.ok) throw await apiError(response)
  return (await readJson<{ cannedResponses?: CannedResponse[] }>(response))?.cannedResponses ?? []
}

/** POST /api/canned-responses: any agent may create one. */
export async function postCannedResponse(
  fetchFn: Fetch,
  fields: { title: string; text: string; kind: CannedResponseKind },
): Promise<CannedResponse> {
  const body = await callApi<{ cannedResponse: CannedResponse }>(fetchFn, '/api/canned-responses', {
    method: 'POST',
    json: fields,
  })
  return body.cannedResponse
}

const cannedResponsePath = (id: string) => `/api/canned-responses/${encodeURIComponent(id)}`

/** PATCH /api/canned-responses/:id: its author or an admin. */
export async function patchCannedResponse(
  fetchFn: Fetch,
  id: string,
  fields: Partial<{ title: string; text: string; kind: CannedResponseKind }>,
): Promise<CannedResponse> {
  const body = await callApi<{ cannedResponse: CannedResponse }>(fetchFn, cannedResponsePath(id), {
    method: 'PATCH',
    json: fields,
  })
  return body.cannedResponse
}

/** DELETE /api/canned-responses/:id: its author or an admin. */
export async function deleteCannedResponse(fetchFn: Fetch, id: string): Promise<void> {
  await callApi<null>(fetchFn, cannedResponsePath(id), { method: 'DELETE' })
}
