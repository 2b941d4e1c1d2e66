/** How an agent's send (a Graph messages body) shows in the customer's chat. */
import type { ThreadEntry } from './customers.js'
import type { FakeGraph, RecordedSend } from './fake-graph.js'

type NewEntry = Omit<ThreadEntry, 'reactions'>

export type DescribedSend =
  | { entry: NewEntry; reaction?: undefined }
  | { reaction: { target: string; emoji: string }; entry?: undefined }

const MEDIA = new Set(['image', 'video', 'audio', 'document', 'sticker'])

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

export function describeSend(send: RecordedSend, graph: Pick<FakeGraph, 'media'>): DescribedSend {
  const object = record(send.body[send.type])
  if (send.type === 'reaction') {
    return { reaction: { target: str(object.message_id) ?? '', emoji: str(object.emoji) ?? '' } }
  }
  const entry: NewEntry = { wamid: send.wamid, from: 'agent', type: send.type, at: send.at }
  if (send.replyTo) entry.replyTo = send.replyTo
  if (send.type === 'text') {
    entry.text = str(object.body) ?? ''
  } else if (MEDIA.has(send.type)) {
    const id = str(object.id)
    const stored = id ? graph.media(id) : undefined
    if (id) entry.mediaId = id
    if (stored) entry.mimeType = stored.mimeType
    const caption = str(object.caption)
    if (caption) entry.text = caption
    const fileName = str(object.filename) ?? stored?.fileName
    if (fileName) entry.fileName = fileName
  } else if (send.type === 'template') {
    entry.text = str(object.name) ?? ''
  } else if (send.type === 'interactive') {
    entry.text = str(record(object.body).text) ?? ''
  } else if (send.type === 'location') {
    entry.location = {
      latitude: Number(object.latitude),
      longitude: Number(object.longitude),
      ...(str(object.name) ? { name: str(object.name) } : {}),
    }
    if (str(object.name)) entry.text = str(object.name)
  }
  return { entry }
}
