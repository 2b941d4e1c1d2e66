/**
 * Fuzzing `/sync/<doc>` with raw frames from a signed-in agent: random bytes, valid message types
 * followed by garbage or truncated varints, unknown types, text frames, sync updates and step 1s
 * whose payload is random. The server closes that socket with 4400 (malformed) or 4403 (an update
 * the rules refuse), or handles the frame if it happens to be valid; it never answers with a
 * server error, and stock clients connected before the attack keep syncing.
 */
import { appendMessage, INBOX_DOC, readMessages, type Message } from '@atende/shared'
import fc from 'fast-check'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawSocket, waitForDoc, type SyncClient } from './helpers/clients.js'
import { agentMessage, startFuzzWorld, type FuzzWorld } from './helpers/fuzz-world.js'

let world: FuzzWorld
let healthy: SyncClient[]

beforeAll(async () => {
  world = await startFuzzWorld()
  healthy = [world.open(world.docName, world.ana.token), world.open(world.docName, world.bob.token)]
  await Promise.all(healthy.map((client) => client.synced))
  healthy[0]!.provider.awareness.setLocalState({ user: { id: world.ana.id, name: 'Ana Fuzz' } })
  healthy[1]!.provider.awareness.setLocalState({ user: { id: world.bob.id, name: 'Bob Fuzz' } })
})
afterAll(async () => {
  await world?.close()
})

type Frame = Uint8Array | string
/** `malformed`: must close with 4400. `any`: 4400, 4403, or handled (the socket stays open). */
type Expect = 'malformed' | 'any'
interface Attack {
  frame: Frame
  expect: Expect
  label: string
}

const frame = (...parts: Array<(encoder: encoding.Encoder) => void>) => {
  const encoder = encoding.createEncoder()
  for (const part of parts) part(encoder)
  return encoding.toUint8Array(encoder)
}
const uint = (n: number) => (e: encoding.Encoder) => encoding.writeVarUint(e, n)
const bytes = (b: Uint8Array) => (e: encoding.Encoder) => encoding.writeUint8Array(e, b)
const sized = (b: Uint8Array) => (e: encoding.Encoder) => encoding.writeVarUint8Array(e, b)
/** A varint that never ends: every byte has its continuation bit set. */
const endless = fc
  .uint8Array({ minLength: 1, maxLength: 9 })
  .map((b) => b.map((byte) => byte | 0x80))
/** An awareness frame with one entry whose state is `state` (JSON, or not). */
const awareness = (client: number, clock: number, state: string) =>
  frame(
    uint(1),
    sized(frame(uint(1), uint(client), uint(clock), (e) => encoding.writeVarString(e, state))),
  )
const garbage = fc.uint8Array({ maxLength: 300 })

const attack: fc.Arbitrary<Attack> = fc.oneof(
  garbage.map((b) => ({ frame: b, expect: 'any' as const, label: 'random bytes' })),
  fc.constant({ frame: new Uint8Array(0), expect: 'malformed' as const, label: 'empty frame' }),
  fc
    .tuple(fc.oneof(fc.constant(2), fc.integer({ min: 4, max: 2 ** 31 })), garbage)
    .map(([type, tail]) => ({
      frame: frame(uint(type), bytes(tail)),
      expect: 'malformed' as const,
      label: `unknown message type ${type}`,
    })),
  fc.tuple(fc.constantFrom(0, 1), endless).map(([type, tail]) => ({
    frame: frame(uint(type), bytes(tail)),
    expect: 'malformed' as const,
    label: 'a truncated varint after a valid type',
  })),
  fc.tuple(fc.constantFrom(0, 1, 2), endless).map(([syncType, tail]) => ({
    frame: frame(uint(0), uint(syncType), bytes(tail)),
    expect: 'malformed' as const,
    label: 'a sync message with a truncated length',
  })),
  fc
    .tuple(fc.constantFrom(0, 1, 2), fc.integer({ min: 1, max: 2 ** 31 }), garbage)
    .map(([syncType, extra, payload]) => ({
      // The declared length runs past the end of the frame.
      frame: frame(uint(0), uint(syncType), uint(payload.length + extra), bytes(payload)),
      expect: 'malformed' as const,
      label: 'a sync payload shorter than declared',
    })),
  fc.tuple(fc.integer({ min: 3, max: 2 ** 31 }), garbage).map(([syncType, payload]) => ({
    frame: frame(uint(0), uint(syncType), sized(payload)),
    expect: 'malformed' as const,
    label: `unknown sync message type ${syncType}`,
  })),
  garbage.map((payload) => ({
    frame: frame(uint(0), uint(0), sized(payload)),
    expect: 'any' as const,
    label: 'sync step 1 with a random state vector',
  })),
  fc.tuple(fc.constantFrom(1, 2), garbage).map(([syncType, payload]) => ({
    frame: frame(uint(0), uint(syncType), sized(payload)),
    expect: 'any' as const,
    label: `sync ${syncType === 1 ? 'step 2' : 'update'} with a random update`,
  })),
  garbage.map((payload) => ({
    frame: frame(uint(1), sized(payload)),
    expect: 'any' as const,
    label: 'awareness with a random payload',
  })),
  fc.tuple(fc.nat({ max: 2 ** 31 }), fc.nat(), fc.string()).map(([client, clock, state]) => ({
    frame: awareness(client, clock, state),
    expect: 'any' as const,
    label: 'awareness whose state is random text',
  })),
  fc
    .tuple(fc.nat({ max: 2 ** 31 }), fc.nat(), fc.jsonValue({ maxDepth: 3 }))
    .map(([client, clock, state]) => ({
      frame: awareness(client, clock, JSON.stringify(state)),
      expect: 'any' as const,
      label: 'awareness whose state is random JSON',
    })),
  fc.string({ maxLength: 200 }).map((text) => ({
    frame: text,
    expect: 'malformed' as const,
    label: 'a text frame',
  })),
)

/** Sync step 1 with an empty state vector: the server must answer it with a step 2. */
const PROBE = frame(uint(0), uint(0), sized(new Uint8Array([0])))
const isStepTwo = (data: Uint8Array) => data[0] === 0 && data[1] === 1

type Auth = 'bearer' | 'cookie' | 'query'

/**
 * Opens a raw socket as `token`, sends the frames and then a probe, and reports what the server
 * did: closed the socket (its code) or answered the probe (`open`: every frame was handled).
 */
async function send(
  docName: string,
  token: string,
  auth: Auth,
  frames: Frame[],
): Promise<number | 'open'> {
  const base = `${world.server.wsUrl}/sync/${encodeURIComponent(docName)}`
  const host = new URL(world.server.url).host
  const socket =
    auth === 'bearer'
      ? rawSocket(base, { authorization: `Bearer ${token}` })
      : auth === 'cookie'
        ? rawSocket(base, { cookie: `atende_session=${token}`, origin: `http://${host}` })
        : rawSocket(`${base}?token=${token}`)
  await socket.opened
  const answered = new Promise<'open'>((resolve) => {
    socket.socket.on('message', (data: Buffer) => {
      if (isStepTwo(new Uint8Array(data))) resolve('open')
    })
  })
  for (const f of frames) socket.send(f)
  socket.send(PROBE)
  const outcome = await Promise.race([socket.closed.then((closed) => closed.code), answered])
  if (outcome === 'open') {
    socket.socket.close()
    await socket.closed
  }
  return outcome
}

const target = fc.constantFrom('conversation', 'inbox')
const auth = fc.constantFrom<Auth>('bearer', 'cookie', 'query')

describe('sync frame fuzzing', () => {
  it('one hostile frame: 4400 for garbage, 4403 or handled otherwise, never a server error', async () => {
    const seen = new Map<string, Set<number | 'open'>>()
    await fc.assert(
      fc.asyncProperty(attack, target, auth, fc.boolean(), async (a, doc, how, asBob) => {
        const token = asBob ? world.bob.token : world.ana.token
        const outcome = await send(doc === 'inbox' ? INBOX_DOC : world.docName, token, how, [
          a.frame,
        ])
        const kind = a.label.replace(/\d+/g, 'n')
        seen.set(kind, (seen.get(kind) ?? new Set()).add(outcome))
        if (a.expect === 'malformed') expect(outcome).toBe(4400)
        else expect([4400, 4403, 'open']).toContain(outcome)
      }),
      { numRuns: 500, seed: 20260611 },
    )
    process.stdout.write(
      `outcomes: ${JSON.stringify(Object.fromEntries([...seen].map(([k, v]) => [k, [...v]])))}\n`,
    )
  })

  it('bursts of frames: the socket ends 4400/4403 or stays usable, never a server error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(attack, { minLength: 2, maxLength: 12 }), auth, async (as, how) => {
        const outcome = await send(
          world.docName,
          world.ana.token,
          how,
          as.map((a) => a.frame),
        )
        expect([4400, 4403, 'open']).toContain(outcome)
        if (as.some((a) => a.expect === 'malformed')) expect(outcome).not.toBe('open')
      }),
      { numRuns: 200, seed: 20260612 },
    )
  })

  it('a frame over the size limit closes that socket with 1009', async () => {
    const socket = rawSocket(`${world.server.wsUrl}/sync/${world.docName}?token=${world.ana.token}`)
    await socket.opened
    socket.send(frame(uint(0), uint(2), sized(new Uint8Array(9 * 1024 * 1024))))
    expect((await socket.closed).code).toBe(1009)
  })

  it('afterwards: the stock clients are still connected and sync, the data is intact', async () => {
    expect(world.errorLines()).toEqual([])
    for (const client of healthy) expect(client.provider.wsconnected).toBe(true)
    const note = { ...agentMessage(world.ana, 'after the storm', 'note') } as Message
    appendMessage(healthy[0]!.doc, note, 'local')
    await waitForDoc(healthy[1]!.doc, (doc) => readMessages(doc).some((m) => m.id === note.id))
    await world.intact({ alsoExpect: [note.id] })
  })
})
