import { ApiRequestError } from './conversations'
import { readJson, request, type Fetch } from './http'

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

async function failure(response: Response): Promise<ApiRequestError> {
  const body = await readJson<{ error?: { code?: string; message?: string } }>(response)
  return new ApiRequestError(
    response.status,
    body?.error?.code ?? 'unexpected',
    body?.error?.message ?? `HTTP ${response.status}`,
  )
}

/** GET /api/canned-responses: every canned response, by title. */
export async function getCannedResponses(fetchFn: Fetch): Promise<CannedResponse[]> {
  const response = await request(fetchFn, '/api/canned-responses')
  if (!response.ok) throw await failure(response)
  return (await readJson<{ cannedResponses?: CannedResponse[] }>(response))?.cannedResponses ?? []
}

/** POST /api/canned-responses: any agent may create one. */
export async function postCannedResponse(
  fetchFn: Fetch,
  fields: { title: string; text: string; kind: CannedResponseKind },
): Promise<CannedResponse> {
  const response = await request(fetchFn, '/api/canned-responses', { method: 'POST', json: fields })
  if (!response.ok) throw await failure(response)
  const body = await readJson<{ cannedResponse: CannedResponse }>(response)
  if (!body) throw new ApiRequestError(response.status, 'unexpected', 'Not JSON')
  return body.cannedResponse
}

const cannedResponsePath = (id: string) => `/api/canned-responses/${encodeURIComponent(id)}`

/** PATCH /api/canned-responses/:id: its author or an admin. */
export async function patchCannedResponse(
  fetchFn: Fetch,
  id: string,
  fields: Partial<{ title: string; text: string; kind: CannedResponseKind }>,
): Promise<CannedResponse> {
  const response = await request(fetchFn, cannedResponsePath(id), { method: 'PATCH', json: fields })
  if (!response.ok) throw await failure(response)
  const body = await readJson<{ cannedResponse: CannedResponse }>(response)
  if (!body) throw new ApiRequestError(response.status, 'unexpected', 'Not JSON')
  return body.cannedResponse
}

/** DELETE /api/canned-responses/:id: its author or an admin. */
export async function deleteCannedResponse(fetchFn: Fetch, id: string): Promise<void> {
  const response = await request(fetchFn, cannedResponsePath(id), { method: 'DELETE' })
  if (!response.ok) throw await failure(response)
}
