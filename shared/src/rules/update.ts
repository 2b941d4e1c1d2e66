import * as Y from 'yjs'
import type { Actor } from '../model/agent.js'
import { CONVERSATION_KEYS, conversationParts } from '../ydoc/schema.js'
import { clientMessageProblem } from './message.js'

export type UpdateVerdict = { ok: true; appended: number } | { ok: false; reason: string }

export interface UpdateContext {
  actor: Actor
  /** Server clock, ms epoch. */
  now: number
  /** Ids of messages already in the doc; a client may not reuse one. */
  messageIds: ReadonlySet<string>
}

const refuse = (reason: string): UpdateVerdict => ({ ok: false, reason })

/**
 * What a client may change in each document, decided from the update alone before it is applied.
 *
 * A Yjs update is a list of new structs (items, each attached to a parent type either by name or
 * through its left/right neighbours) plus a delete set. We decode it and check:
 *  - structs the doc already has are no-ops and are skipped;
 *  - every new item must land in the conversation's root `messages` array, at the end (no right
 *    neighbour: an append, never an insertion between existing messages), as plain JSON content that
 *    passes {@link clientMessageProblem};
 *  - the delete set may only name items that are already deleted here: y-websocket clients echo the
 *    whole delete set they know in sync step 2, so a harmless echo must pass, but nothing may be
 *    deleted, which is what makes messages immutable and keeps `meta`/`receipts` server-only.
 * An item's parent, when not written out, is found through its origin: first among the update's own
 * new items, then in the doc. An origin the doc does not have is refused (we cannot prove where the
 * item lands), and so is a gap in a client's clocks (the rest would wait in the doc, pending).
 * New items may only continue a client id that wrote nothing yet or only the actor's messages.
 */
export function checkConversationUpdate(
  doc: Y.Doc,
  update: Uint8Array,
  ctx: UpdateContext,
): UpdateVerdict {
  const decoded = decodeSafely(update)
  if (!decoded) return refuse('the update cannot be decoded')
  const { structs, ds } = decoded
  const messages = conversationParts(doc).messages
  const store = doc.store
  // Items of this update by client, to resolve origins that point inside the update itself.
  const own = new Map<number, Y.Item[]>()
  const seenIds = new Set<string>()
  // Where each client's new content must go on: the doc's state, then this update's own structs.
  const next = new Map<number, number>()
  let appended = 0

  for (const struct of structs) {
    const known = Y.getState(store, struct.id.client)
    if (struct.id.clock + struct.length <= known) continue
    // A hole (a skip, or a clock past what we have) would leave the rest pending in the doc: never
    // stored or shown, yet sent to every client that syncs, which is refused when it echoes it.
    if (struct instanceof Y.Skip || struct.id.clock > (next.get(struct.id.client) ?? known))
      return refuse('the update depends on content the server does not have')
    next.set(struct.id.client, struct.id.clock + struct.length)
    if (!(struct instanceof Y.Item)) return refuse('clients may not delete content')
    if (struct.id.client === doc.clientID) return refuse('the update claims the server’s client id')
    // Content under an id someone else wrote with would shadow that writer's own next items: the
    // server would take them for known and drop them (an offline reply lost without a word).
    if (!writtenBy(store, struct.id.client, ctx.actor, messages))
      return refuse('the update claims another writer’s client id')

    let inMessages: boolean
    // In a decoded update `parent` is the root type's name or the parent item's ID (see yjs
    // `lazyStructReaderGenerator`), not a type as the typings say.
    const parentRef = struct.parent as unknown as string | Y.ID | null
    if (typeof parentRef === 'string') {
      inMessages = parentRef === CONVERSATION_KEYS.messages
    } else if (parentRef !== null) {
      inMessages = false // nested types are never part of the schema clients write
    } else {
      const ref = struct.origin ?? struct.rightOrigin
      if (!ref) return refuse('an item without a parent')
      const parent = resolveParent(ref, own, store, messages)
      if (parent === 'unknown')
        return refuse('the update depends on content the server does not have')
      inMessages = parent === 'messages'
    }
    if (!inMessages || struct.parentSub !== null) {
      return refuse('clients may only append messages; meta, receipts and the rest are server-only')
    }
    if (struct.rightOrigin !== null) return refuse('messages may only be appended at the end')
    if (!(struct.content instanceof Y.ContentAny))
      return refuse('messages must be plain JSON objects')
    for (const value of struct.content.getContent()) {
      const problem = clientMessageProblem(value, ctx.actor, ctx.now)
      if (problem) return refuse(problem)
      const id = (value as { id: string }).id
      if (ctx.messageIds.has(id) || seenIds.has(id)) return refuse('a message with that id exists')
      seenIds.add(id)
      appended++
    }
    let list = own.get(struct.id.client)
    if (!list) own.set(struct.id.client, (list = []))
    list.push(struct)
  }

  const deletes = onlyDeletesOfDeleted(ds, store)
  if (deletes) return refuse(deletes)
  return { ok: true, appended }
}

/** The `inbox` doc is written by the server only: a client update may carry no change at all. */
export function checkInboxUpdate(doc: Y.Doc, update: Uint8Array): UpdateVerdict {
  const decoded = decodeSafely(update)
  if (!decoded) return refuse('the update cannot be decoded')
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue
    if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) {
      return refuse('the inbox is written by the server only')
    }
  }
  const deletes = onlyDeletesOfDeleted(decoded.ds, doc.store)
  if (deletes) return refuse(deletes)
  return { ok: true, appended: 0 }
}

function decodeSafely(update: Uint8Array): ReturnType<typeof Y.decodeUpdate> | null {
  try {
    return Y.decodeUpdate(update)
  } catch {
    return null
  }
}

type StructStore = Y.Doc['store']
type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds']

function resolveParent(
  ref: Y.ID,
  own: Map<number, Y.Item[]>,
  store: StructStore,
  messages: Y.Array<unknown>,
): 'messages' | 'elsewhere' | 'unknown' {
  const pending = own.get(ref.client)
  if (pending) {
    for (const item of pending) {
      // Items of this update were only kept once they were proven to be in `messages`.
      if (ref.clock >= item.id.clock && ref.clock < item.id.clock + item.length) return 'messages'
    }
  }
  if (ref.clock >= Y.getState(store, ref.client)) return 'unknown'
  const known = Y.getItem(store, ref)
  if (!(known instanceof Y.Item)) return 'elsewhere'
  return known.parent === messages && known.parentSub === null ? 'messages' : 'elsewhere'
}

/**
 * Whether `client`'s structs in the doc, if any, are the actor's messages. Clients only ever write
 * their own messages, so the last struct tells: one of the actor's messages, or nothing yet.
 */
function writtenBy(
  store: StructStore,
  client: number,
  actor: Actor,
  messages: Y.Array<unknown>,
): boolean {
  const structs = store.clients.get(client)
  const last = structs?.[structs.length - 1]
  if (!last) return true
  if (!(last instanceof Y.Item) || last.parent !== messages) return false
  if (!(last.content instanceof Y.ContentAny)) return false
  const values = last.content.getContent() as Array<{ authorId?: unknown } | null>
  return values[values.length - 1]?.authorId === actor.id
}

/** Null when every deleted range in `ds` is already deleted in the store, else the reason. */
function onlyDeletesOfDeleted(ds: DeleteSet, store: StructStore): string | null {
  for (const [client, ranges] of ds.clients) {
    const structs = store.clients.get(client)
    const known = Y.getState(store, client)
    for (const { clock, len } of ranges) {
      if (len <= 0) continue
      if (!structs || clock + len > known) return 'clients may not delete content'
      let at = clock
      while (at < clock + len) {
        const struct = structs[Y.findIndexSS(structs, at)]
        if (!struct || !struct.deleted) return 'clients may not delete content'
        at = struct.id.clock + struct.length
      }
    }
  }
  return null
}
