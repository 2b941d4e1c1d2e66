/**
 * y-websocket framing: every frame starts with a varUint message type. Sync frames carry a y-protocols
 * sync message (step 1: a state vector; step 2 and update: a Yjs update); awareness frames carry an
 * awareness update. Kept here so the connection code reads as protocol, not byte juggling.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'

export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
export const MESSAGE_AUTH = 2
export const MESSAGE_QUERY_AWARENESS = 3

export const SYNC_STEP_1 = 0
export const SYNC_STEP_2 = 1
export const SYNC_UPDATE = 2

/** Close codes live in the shared wire contract; re-exported for the sync code's imports. */
export { CLOSE } from '@atende/shared'

export class ProtocolError extends Error {
  readonly code = 'protocol_error'
}

export type ClientFrame =
  | { type: 'sync-step-1'; stateVector: Uint8Array }
  | { type: 'sync-update'; update: Uint8Array; step: 'step-2' | 'update' }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' }

/** Decodes one client frame; throws {@link ProtocolError} on anything malformed or unexpected. */
export function decodeClientFrame(data: Uint8Array): ClientFrame {
  try {
    const decoder = decoding.createDecoder(data)
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MESSAGE_SYNC: {
        const syncType = decoding.readVarUint(decoder)
        const payload = decoding.readVarUint8Array(decoder)
        if (syncType === SYNC_STEP_1) return { type: 'sync-step-1', stateVector: payload }
        if (syncType === SYNC_STEP_2)
          return { type: 'sync-update', update: payload, step: 'step-2' }
        if (syncType === SYNC_UPDATE)
          return { type: 'sync-update', update: payload, step: 'update' }
        throw new ProtocolError(`unknown sync message type ${syncType}`)
      }
      case MESSAGE_AWARENESS:
        return { type: 'awareness', update: decoding.readVarUint8Array(decoder) }
      case MESSAGE_QUERY_AWARENESS:
        return { type: 'query-awareness' }
      default:
        throw new ProtocolError(`unknown message type ${type}`)
    }
  } catch (err) {
    if (err instanceof ProtocolError) throw err
    throw new ProtocolError('truncated or malformed frame')
  }
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, SYNC_STEP_1)
  encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc))
  return encoding.toUint8Array(encoder)
}

/** Sync step 2: what the peer lacks, given its state vector (throws ProtocolError if garbage). */
export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  let update: Uint8Array
  try {
    update = Y.encodeStateAsUpdate(doc, stateVector)
  } catch {
    throw new ProtocolError('malformed state vector')
  }
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, SYNC_STEP_2)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, SYNC_UPDATE)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

export function encodeAwareness(
  awareness: awarenessProtocol.Awareness,
  clients: number[],
): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients))
  return encoding.toUint8Array(encoder)
}

export interface AwarenessEntry {
  clientId: number
  clock: number
  state: unknown
}

/** Encodes awareness entries back into an awareness update (after some were filtered out). */
export function encodeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, JSON.stringify(entry.state))
  }
  return encoding.toUint8Array(encoder)
}

/** Decodes an awareness update's entries so they can be checked before they are applied. */
export function decodeAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  try {
    const decoder = decoding.createDecoder(update)
    const count = decoding.readVarUint(decoder)
    const entries: AwarenessEntry[] = []
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder)
      const clock = decoding.readVarUint(decoder)
      const state: unknown = JSON.parse(decoding.readVarString(decoder))
      entries.push({ clientId, clock, state })
    }
    return entries
  } catch {
    throw new ProtocolError('malformed awareness update')
  }
}
