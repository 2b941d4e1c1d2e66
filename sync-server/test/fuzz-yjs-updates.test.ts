/**
 * Fuzzing the document rules with structurally valid Yjs updates, sent by a signed-in agent (Ana)
 * as y-websocket update frames. Each run clones the server's state, applies random commands (own
 * replies and notes, malformed or foreign-authored messages, inserts, deletes, duplicate ids,
 * writes to meta, receipts, reactions, media, new root types, nested types), under a fresh, the
 * server's or another client's clientID, and sends the whole diff or a merge of a random subset of
 * its pieces (dependencies missing). The server must close the socket with 4403 for anything the
 * rules forbid, store none of it, and apply exactly the legal appends, at the end.
 */
import {
  appendMessage,
  CONVERSATION_KEYS,
  MAX_NOTE_LENGTH,
  MAX_REPLY_LENGTH,
  readMessages,
  readMeta,
  type Message,
} from '@atende/shared'
import fc from 'fast-check'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { rawSocket, waitForDoc, type SyncClient } from './helpers/clients.js'
import { agentMessage, startFuzzWorld, type FuzzWorld } from './helpers/fuzz-world.js'

let world: FuzzWorld
let mirror: SyncClient
/** The server's state as of the last run (a full update), and what ids it must hold. */
let latest: Uint8Array
let initial: Uint8Array
let expectedIds: string[]
const accepted: string[] = []

beforeAll(async () => {
  world = await startFuzzWorld()
  mirror = world.open(world.docName, world.bob.token)
  await mirror.synced
  latest = initial = (await serverState()).update
  expectedIds = world.known.map((m) => m.id)
})
afterAll(async () => {
  await world?.close()
})

// ---- wire ---------------------------------------------------------------------------------------

const syncFrame = (type: number, payload: Uint8Array) => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint(encoder, type)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}
/** Sync step 1 with an empty state vector: the answer (step 2) is the server's whole state. */
const PROBE = syncFrame(0, new Uint8Array([0]))
function stepTwoPayload(data: Uint8Array): Uint8Array | null {
  if (data[0] !== 0 || data[1] !== 1) return null
  const decoder = decoding.createDecoder(data)
  decoding.readVarUint(decoder)
  decoding.readVarUint(decoder)
  return decoding.readVarUint8Array(decoder)
}

type Outcome = { code: number } | { code: 'open'; update: Uint8Array }

/** Sends the frames as Ana, then the probe: the close code, or the server's state after them. */
async function sendAsAna(frames: Uint8Array[]): Promise<Outcome> {
  const socket = rawSocket(`${world.server.wsUrl}/sync/${world.docName}`, {
    authorization: `Bearer ${world.ana.token}`,
  })
  await socket.opened
  const answered = new Promise<Outcome>((resolve) => {
    socket.socket.on('message', (data: Buffer) => {
      const update = stepTwoPayload(new Uint8Array(data))
      if (update) resolve({ code: 'open', update })
    })
  })
  for (const frame of frames) socket.send(frame)
  socket.send(PROBE)
  const outcome = await Promise.race([socket.closed.then(({ code }) => ({ code })), answered])
  if (outcome.code === 'open') {
    socket.socket.close()
    await socket.closed
  }
  return outcome
}

async function serverState(): Promise<{ update: Uint8Array; doc: Y.Doc }> {
  const outcome = await sendAsAna([])
  if (outcome.code !== 'open') throw new Error(`probe closed with ${outcome.code}`)
  return { update: outcome.update, doc: docOf(outcome.update) }
}

function docOf(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, update)
  return doc
}

// ---- commands -------------------------------------------------------------------------------

const uuid = fc.uuid({ version: 4 })
const notUuid = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.constant(null),
  uuid.map((u) => u.toUpperCase() + ' '),
)
const text = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 200 })
  .filter((t) => t.trim() !== '')

interface Draft {
  kind: 'agent' | 'note'
  text: string
  ageMs: number
  replyTo?: string
  mentions?: string[]
}
const draft: fc.Arbitrary<Draft> = fc.record(
  {
    kind: fc.constantFrom('agent' as const, 'note' as const),
    text,
    ageMs: fc.nat({ max: 3 * 86_400_000 }),
    replyTo: uuid,
    mentions: fc.array(uuid, { maxLength: 5 }),
  },
  { requiredKeys: ['kind', 'text', 'ageMs'] },
)

function legalMessage(d: Draft): Record<string, unknown> {
  const message: Record<string, unknown> = {
    id: crypto.randomUUID(),
    kind: d.kind,
    authorId: world.ana.id,
    text: d.text,
    createdAt: Date.now() - d.ageMs,
  }
  if (d.replyTo) message.replyTo = d.replyTo
  if (d.mentions && d.kind === 'note') message.mentions = d.mentions
  return message
}

/** Turns a legal message into one the rules refuse, for a reason the README states. */
type Spoil = (message: Record<string, unknown>) => unknown
const spoil: fc.Arbitrary<{ why: string; spoil: Spoil }> = fc.oneof(
  fc.constantFrom('customer', 'event', 'system', '', 'Agent').map((kind) => ({
    why: `kind ${kind}`,
    spoil: (m: Record<string, unknown>) => ({ ...m, kind }),
  })),
  fc.oneof(fc.constant('bob'), uuid, fc.constant(null)).map((who) => ({
    why: 'authored as someone else',
    spoil: (m: Record<string, unknown>) => ({ ...m, authorId: who === 'bob' ? world.bob.id : who }),
  })),
  fc.constantFrom('id', 'kind', 'authorId', 'text', 'createdAt').map((key) => ({
    why: `missing ${key}`,
    spoil: (m: Record<string, unknown>) => {
      const copy = { ...m }
      delete copy[key]
      return copy
    },
  })),
  notUuid.map((id) => ({
    why: 'a non-uuid id',
    spoil: (m: Record<string, unknown>) => ({ ...m, id }),
  })),
  fc
    .oneof(fc.constantFrom('', '   ', '\n\t'), fc.integer(), fc.constant(null))
    .map((t) => ({ why: 'no text', spoil: (m: Record<string, unknown>) => ({ ...m, text: t }) })),
  fc.constant({
    why: 'text too long',
    spoil: (m: Record<string, unknown>) => ({
      ...m,
      text: 'x'.repeat((m.kind === 'agent' ? MAX_REPLY_LENGTH : MAX_NOTE_LENGTH) + 1),
    }),
  }),
  fc
    .oneof(
      fc.constantFrom(Date.UTC(2019, 11, 31), 1.5, -1, 0, Number.MAX_SAFE_INTEGER + 2),
      fc.integer({ min: 11 * 60_000, max: 10 ** 10 }).map((ahead) => Date.now() + ahead),
      fc.string(),
    )
    .map((at) => ({
      why: 'createdAt out of range',
      spoil: (m: Record<string, unknown>) => ({ ...m, createdAt: at }),
    })),
  notUuid.map((r) => ({
    why: 'replyTo not an id',
    spoil: (m: Record<string, unknown>) => ({ ...m, replyTo: r }),
  })),
  fc
    .tuple(
      fc
        .string({ minLength: 1 })
        .filter(
          (k) =>
            !['id', 'kind', 'authorId', 'text', 'createdAt', 'replyTo', 'mentions'].includes(k),
        ),
      fc.jsonValue({ maxDepth: 2 }),
    )
    .map(([key, value]) => ({
      why: `extra field ${key}`,
      spoil: (m: Record<string, unknown>) => ({ ...m, [key]: value }),
    })),
  fc.constantFrom('media', 'template', 'waMessageId', 'event', 'html').map((key) => ({
    why: `server-only field ${key}`,
    spoil: (m: Record<string, unknown>) => ({ ...m, [key]: { any: 'thing' } }),
  })),
  fc.constant({
    why: 'mentions on a reply',
    spoil: (m: Record<string, unknown>) => ({ ...m, kind: 'agent', mentions: [] }),
  }),
  fc
    .oneof(
      notUuid,
      fc.array(notUuid, { minLength: 1 }),
      fc.array(uuid, { minLength: 51, maxLength: 60 }),
    )
    .map((mentions) => ({
      why: 'bad mentions',
      spoil: (m: Record<string, unknown>) => ({ ...m, kind: 'note', mentions }),
    })),
  fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string())).map((v) => ({
    why: 'not an object',
    spoil: () => v,
  })),
)

type Command =
  | { op: 'append'; draft: Draft }
  | { op: 'spoiled'; draft: Draft; why: string; spoil: Spoil }
  | { op: 'duplicate'; draft: Draft; of: number }
  | { op: 'insert'; draft: Draft; at: number }
  | { op: 'delete'; at: number; length: number }
  | { op: 'map'; key: (typeof MAP_KEYS)[number]; field: string; value: unknown }
  | { op: 'root'; name: string; kind: 'map' | 'array' | 'text' }
  | { op: 'nested' }

const MAP_KEYS = [
  CONVERSATION_KEYS.meta,
  CONVERSATION_KEYS.receipts,
  CONVERSATION_KEYS.reactions,
  CONVERSATION_KEYS.media,
] as const

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: draft.map((d) => ({ op: 'append' as const, draft: d })) },
  {
    weight: 3,
    arbitrary: fc.tuple(draft, spoil).map(([d, s]) => ({ op: 'spoiled' as const, draft: d, ...s })),
  },
  fc.tuple(draft, fc.nat()).map(([d, of]) => ({ op: 'duplicate' as const, draft: d, of })),
  fc.tuple(draft, fc.nat()).map(([d, at]) => ({ op: 'insert' as const, draft: d, at })),
  fc
    .tuple(fc.nat(), fc.integer({ min: 1, max: 3 }))
    .map(([at, length]) => ({ op: 'delete' as const, at, length })),
  fc
    .tuple(
      fc.constantFrom(...MAP_KEYS),
      fc.oneof(fc.constantFrom('status', 'assigneeId', 'ticketId', 'id'), fc.string()),
      fc.jsonValue({ maxDepth: 2 }),
    )
    .map(([key, field, value]) => ({ op: 'map' as const, key, field, value })),
  fc
    .tuple(
      fc
        .string({ minLength: 1 })
        .filter((n) => !Object.values(CONVERSATION_KEYS).includes(n as never)),
      fc.constantFrom('map' as const, 'array' as const, 'text' as const),
    )
    .map(([name, kind]) => ({ op: 'root' as const, name, kind })),
  fc.constant({ op: 'nested' as const }),
)

/** One transaction of the clone: what it sends, and what the rules say of it. */
interface Piece {
  update: Uint8Array
  legal: boolean
  /** It took clocks (a gap when left out); deletes alone take none. */
  structs: boolean
  appendedId?: string
}

function play(doc: Y.Doc, commands: Command[]): Piece[] {
  const pieces: Piece[] = []
  const messages = doc.getArray<unknown>(CONVERSATION_KEYS.messages)
  const knownIds = (messages.toArray() as Message[]).map((m) => m.id)
  for (const c of commands) {
    let update: Uint8Array | null = null
    const capture = (u: Uint8Array) => (update = u)
    doc.on('update', capture)
    let piece: Omit<Piece, 'update'>
    switch (c.op) {
      case 'append': {
        const message = legalMessage(c.draft)
        messages.push([message])
        piece = { legal: true, structs: true, appendedId: message.id as string }
        break
      }
      case 'spoiled':
        messages.push([c.spoil(legalMessage(c.draft))])
        piece = { legal: false, structs: true }
        break
      case 'duplicate':
        messages.push([{ ...legalMessage(c.draft), id: knownIds[c.of % knownIds.length] }])
        piece = { legal: false, structs: true }
        break
      case 'insert':
        messages.insert(c.at % messages.length, [legalMessage(c.draft)])
        piece = { legal: false, structs: true }
        break
      case 'delete': {
        const at = c.at % messages.length
        messages.delete(at, Math.min(c.length, messages.length - at))
        piece = { legal: false, structs: false }
        break
      }
      case 'map':
        doc.getMap(c.key).set(c.field, c.value)
        piece = { legal: false, structs: true }
        break
      case 'root':
        if (c.kind === 'map') doc.getMap(c.name).set('x', 1)
        else if (c.kind === 'array')
          doc.getArray(c.name).push([legalMessage({ kind: 'agent', text: 'hi', ageMs: 0 })])
        else doc.getText(c.name).insert(0, 'hi')
        piece = { legal: false, structs: true }
        break
      case 'nested': {
        const nested = new Y.Map<unknown>()
        nested.set('text', 'nested')
        messages.push([nested])
        piece = { legal: false, structs: true }
        break
      }
    }
    doc.off('update', capture)
    if (update) pieces.push({ update, ...piece })
  }
  return pieces
}

/**
 * What the server must do with the chosen pieces of one clone: refuse (4403) or apply exactly
 * `visible`. A left-out piece that took clocks is a gap for every chosen piece after it: refused,
 * since the server does not have what they depend on.
 */
function oracle(
  pieces: Piece[],
  chosen: Set<number>,
  serverClient: boolean,
): { refused: true } | { refused: false; visible: string[] } {
  if (chosen.size === 0) return { refused: false, visible: [] }
  if (serverClient) return { refused: true }
  if ([...chosen].some((i) => !pieces[i]!.legal)) return { refused: true }
  const lastChosen = Math.max(...chosen)
  if (pieces.some((piece, i) => i < lastChosen && !chosen.has(i) && piece.structs))
    return { refused: true }
  return {
    refused: false,
    visible: pieces.flatMap((piece, i) =>
      chosen.has(i) && piece.appendedId ? [piece.appendedId] : [],
    ),
  }
}

const scenario = fc.record({
  commands: fc.oneof(
    fc.array(command, { minLength: 1, maxLength: 6 }),
    fc.array(
      draft.map((d) => ({ op: 'append' as const, draft: d })),
      { minLength: 1, maxLength: 4 },
    ),
  ),
  /** Whose clientID the clone writes under. */
  client: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 2 ** 32 - 1 }).map((id) => ({ fresh: id })) },
    { weight: 1, arbitrary: fc.constant('server' as const) },
    { weight: 1, arbitrary: fc.constant('mirror' as const) },
  ),
  /** All pieces as one diff, or a merge of a random subset (dependencies may be missing). */
  subset: fc.option(fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), { nil: undefined }),
})

// ---- properties ---------------------------------------------------------------------------------

describe('Yjs update fuzzing', () => {
  it('refuses with 4403 and stores nothing of what the rules forbid; appends exactly the legal', async () => {
    const firstServerItem = () => {
      const messages = docOf(latest).getArray(CONVERSATION_KEYS.messages)
      return (messages as unknown as { _start: Y.Item })._start.id.client
    }
    const serverClient = firstServerItem()
    const metaBefore = readMeta(docOf(latest))
    await fc.assert(
      fc.asyncProperty(scenario, async ({ commands, client, subset }) => {
        const clone = docOf(latest)
        const clientId =
          client === 'server'
            ? serverClient
            : client === 'mirror'
              ? mirror.doc.clientID
              : client.fresh
        clone.clientID = clientId
        const base = Y.encodeStateVector(clone)
        const pieces = play(clone, commands)
        const chosen = new Set(pieces.map((_, i) => i).filter((i) => subset?.[i] ?? true))
        const update = subset
          ? Y.mergeUpdates(pieces.filter((_, i) => chosen.has(i)).map((p) => p.update))
          : Y.encodeStateAsUpdate(clone, base)
        const expected = oracle(pieces, chosen, clientId === serverClient)

        const outcome = await sendAsAna([syncFrame(2, update)])
        const after = outcome.code === 'open' ? outcome.update : (await serverState()).update
        const view = docOf(after)
        const ids = readMessages(view).map((m) => m.id)
        if (expected.refused) {
          // Under the server's id the clone's clocks may be stale (the server wrote receipts since):
          // structs the server has are no-ops, so nothing at all may be an answer there.
          if (clientId === serverClient) expect([4403, 'open']).toContain(outcome.code)
          else expect(outcome.code).toBe(4403)
          expect(ids).toEqual(expectedIds)
        } else {
          expect(outcome.code).toBe('open')
          // Appended at the end, in order, and nothing else.
          expect(ids).toEqual([...expectedIds, ...expected.visible])
          expectedIds = ids
          accepted.push(...expected.visible)
        }
        expect(readMeta(view)).toEqual(metaBefore)
        const roots = [...view.share.keys()].filter((name) => name !== '')
        for (const root of roots) expect(Object.values(CONVERSATION_KEYS)).toContain(root)
        latest = after
      }),
      { numRuns: 300, seed: 20260621 },
    )
    process.stdout.write(`legal appends accepted: ${accepted.length}\n`)
  })

  it('an append from a stale or empty view lands after its origin; nothing is lost or reordered', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('initial' as const, 'empty' as const),
        fc.array(draft, { minLength: 1, maxLength: 3 }),
        async (view, drafts) => {
          const clone = view === 'initial' ? docOf(initial) : new Y.Doc()
          const base = Y.encodeStateVector(clone)
          const ids = drafts.map((d) => {
            const message = legalMessage(d)
            clone.getArray(CONVERSATION_KEYS.messages).push([message])
            return message.id as string
          })
          const outcome = await sendAsAna([syncFrame(2, Y.encodeStateAsUpdate(clone, base))])
          expect(outcome.code).toBe('open')
          if (outcome.code !== 'open') return
          const now = readMessages(docOf(outcome.update)).map((m) => m.id)
          // Concurrent with everything since its view, so it may land before newer messages, but
          // the known messages keep their order and each new one is there exactly once.
          expect(now.filter((id) => expectedIds.includes(id))).toEqual(expectedIds)
          expect(now.filter((id) => ids.includes(id))).toEqual(ids)
          expect(now).toHaveLength(expectedIds.length + ids.length)
          expectedIds = now
          accepted.push(...ids)
          latest = outcome.update
        },
      ),
      { numRuns: 20, seed: 20260622 },
    )
  })

  it('refuses an update written under a colleague’s client id; their offline reply survives', async () => {
    const bob = world.open(world.docName, world.bob.token)
    await bob.synced
    const before = agentMessage(world.bob, 'Bob was here', 'note') as Message
    appendMessage(bob.doc, before, 'local')
    await waitForDoc(mirror.doc, (doc) => readMessages(doc).some((m) => m.id === before.id))
    // Bob goes offline and replies; Ana writes under Bob's client id before he is back.
    bob.provider.disconnect()
    const offline = agentMessage(world.bob, 'Bob, written offline') as Message
    appendMessage(bob.doc, offline, 'local')
    const { doc: squatter } = await serverState()
    squatter.clientID = bob.doc.clientID
    const base = Y.encodeStateVector(squatter)
    squatter
      .getArray(CONVERSATION_KEYS.messages)
      .push([legalMessage({ kind: 'note', text: 'mine', ageMs: 0 })])
    const outcome = await sendAsAna([syncFrame(2, Y.encodeStateAsUpdate(squatter, base))])
    expect(outcome.code).toBe(4403)
    bob.provider.connect()
    await waitForDoc(mirror.doc, (doc) => readMessages(doc).some((m) => m.id === offline.id))
    expectedIds = [...expectedIds, before.id, offline.id]
    accepted.push(before.id, offline.id)
    latest = (await serverState()).update
  })

  it('refuses an update with a gap; clients that sync afterwards are not poisoned by it', async () => {
    const { doc: gapped } = await serverState()
    // A clock spent on something never sent, then a legal note whose origin the server has.
    gapped.getMap(CONVERSATION_KEYS.meta).set('never-sent', true)
    const middle = Y.encodeStateVector(gapped)
    gapped
      .getArray(CONVERSATION_KEYS.messages)
      .push([legalMessage({ kind: 'note', text: 'after a gap', ageMs: 0 })])
    const outcome = await sendAsAna([syncFrame(2, Y.encodeStateAsUpdate(gapped, middle))])
    expect(outcome.code).toBe(4403)
    const colleague = world.open(world.docName, world.bob.token)
    await colleague.synced
    const note = agentMessage(world.bob, 'synced after the gap', 'note') as Message
    appendMessage(colleague.doc, note, 'local')
    await waitForDoc(mirror.doc, (doc) => readMessages(doc).some((m) => m.id === note.id))
    expect(colleague.provider.wsconnected).toBe(true)
    expectedIds = [...expectedIds, note.id]
    accepted.push(note.id)
    latest = (await serverState()).update
  })

  it('afterwards: the stock client converged, the data is intact, the server still works', async () => {
    await waitForDoc(mirror.doc, (doc) => readMessages(doc).length === expectedIds.length)
    expect(readMessages(mirror.doc).map((m) => m.id)).toEqual(expectedIds)
    expect(world.errorLines()).toEqual([])
    await world.intact({ alsoExpect: accepted })
  })
})
