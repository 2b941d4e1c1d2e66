import {
  conversationDocName,
  INBOX_DOC,
  readInboxEntry,
  readMessages,
  type Actor,
  type Message,
} from '@atende/shared'
import { afterEach, describe, expect, it } from 'vitest'
import { lifecycleKit, type LifecycleKit } from '../../test/helpers/lifecycle-kit.js'
import type { FiledMessage } from '../store/transcripts.js'
import { assignConversation } from './assign.js'
import { closeConversation, fileMessage, reconcileInbox } from './close.js'
import { newEvent } from './events.js'
import { deleteConversation } from './delete.js'
import { createTicket } from './ticket.js'

const kits: LifecycleKit[] = []
function setup() {
  const kit = lifecycleKit()
  kits.push(kit)
  const ana = kit.agent('Ana Souza')
  const bob = kit.agent('Bob Lima')
  return { kit, ana, bob }
}
afterEach(() => {
  for (const kit of kits.splice(0)) kit.dispose()
})

const docRows = (kit: LifecycleKit, id: string) =>
  (
    kit.db
      .prepare(
        'SELECT (SELECT count(*) FROM ydocs WHERE name = ?) + (SELECT count(*) FROM ydoc_updates WHERE doc_name = ?) AS n',
      )
      .get(conversationDocName(id), conversationDocName(id)) as { n: number }
  ).n
const status = (kit: LifecycleKit, id: string) => kit.deps.conversations.get(id)?.status
const filedCount = (kit: LifecycleKit) =>
  (kit.db.prepare('SELECT count(*) AS n FROM ticket_messages').get() as { n: number }).n
const closedEvent = (conversationId: string, actor: Actor) =>
  newEvent({ conversationId, type: 'closed', actorId: actor.id, text: 'closed' })
const hasCard = (kit: LifecycleKit, id: string) =>
  readInboxEntry(kit.docs.get(INBOX_DOC).doc, id) !== undefined

/** A conversation with history: 40 messages, a ticket and a transfer (two events in the doc). */
function busyConversation(kit: LifecycleKit, ana: Actor, bob: Actor) {
  const { id } = kit.conversation()
  kit.fill(id, 40, ana)
  createTicket(kit.deps, id, ana)
  assignConversation(kit.deps, id, bob.id, ana, 'transfer')
  const messages = readMessages(kit.docs.get(conversationDocName(id)).doc)
  return { id, messages }
}

describe('closeConversation', () => {
  it('files every message, note and event into the ticket, then drops the doc and the card', () => {
    const { kit, ana, bob } = setup()
    const { id, messages } = busyConversation(kit, ana, bob)
    expect(messages).toHaveLength(42)

    const { ticket, created } = closeConversation(kit.deps, id, bob)
    expect(created).toBe(false)
    const transcript = kit.deps.transcripts.messages(ticket.id)
    expect(transcript.map((m) => m.id).slice(0, 42)).toEqual(messages.map((m) => m.id))
    expect(transcript.at(-2)).toMatchObject({
      event: { type: 'status_changed', status: 'resolved' },
    })
    expect(transcript.at(-1)).toMatchObject({
      kind: 'event',
      event: { type: 'closed' },
      authorId: bob.id,
    })
    expect(transcript.filter((m) => m.internal).every((m) => m.kind === 'note')).toBe(true)
    expect(transcript.filter((m) => m.kind === 'note')).toHaveLength(10)
    const image = transcript.find((m) => m.kind === 'customer' && m.type === 'image')
    expect(image).toMatchObject({ media: { mimeType: 'image/jpeg' }, authorName: 'Maria Customer' })
    const reply = transcript.find((m) => m.kind === 'agent')
    expect(reply).toMatchObject({ authorName: 'Ana Souza', receipt: { status: 'delivered' } })
    expect(kit.deps.events.forTicket(ticket.id).map((e) => e.type)).toEqual([
      'ticket_created',
      'transferred',
      'status_changed',
      'closed',
    ])
    // Resolved (the default choice); the live ticket followed the transfer, and Bob handled it.
    expect(kit.deps.tickets.get(ticket.id)).toMatchObject({
      status: 'resolved',
      assigneeId: bob.id,
      handlerId: bob.id,
    })

    expect(status(kit, id)).toBe('closed')
    expect(docRows(kit, id)).toBe(0)
    expect(kit.docs.resolve(conversationDocName(id))).toBeNull()
    expect(hasCard(kit, id)).toBe(false)
    expect(kit.deps.tickets.get(ticket.id)?.filedAt).not.toBeNull()
  })

  it('opens a closed ticket for a conversation that had none', () => {
    const { kit, ana } = setup()
    const { id } = kit.conversation()
    kit.fill(id, 3, ana)
    const { ticket, created, filed } = closeConversation(kit.deps, id, ana)
    expect(created).toBe(true)
    expect(filed).toBe(4)
    expect(ticket).toMatchObject({
      status: 'closed',
      conversationId: id,
      number: expect.stringMatching(/^\d{8}-\d{4}$/),
    })
  })

  it('a failure before the commit leaves the open conversation exactly as it was', () => {
    const { kit, ana, bob } = setup()
    const { id, messages } = busyConversation(kit, ana, bob)
    const client = { closed: [] as number[] }
    kit.docs.get(conversationDocName(id)).addPeer({
      actor: ana,
      send: () => {},
      close: (code) => void client.closed.push(code),
    })

    expect(() =>
      closeConversation(kit.deps, id, ana, {
        hooks: {
          beforeCommit: () => {
            throw new Error('power cut')
          },
        },
      }),
    ).toThrow('power cut')

    expect(status(kit, id)).toBe('open')
    expect(filedCount(kit)).toBe(0)
    expect(kit.deps.tickets.forConversation(id)?.filedAt).toBeNull()
    expect(hasCard(kit, id)).toBe(true)
    expect(client.closed).toEqual([])
    // What is on disk (a restart) still holds the whole conversation.
    const again = kit.reopen()
    kits.push(again)
    expect(readMessages(again.docs.get(conversationDocName(id)).doc).map((m) => m.id)).toEqual(
      messages.map((m) => m.id),
    )
    expect(again.deps.events.forConversation(id).every((e) => e.type !== 'closed')).toBe(true)
    // And closing then works.
    const { ticket } = closeConversation(again.deps, id, ana)
    // Its messages, then the ticket resolved and the conversation closed.
    expect(again.deps.transcripts.messages(ticket.id)).toHaveLength(messages.length + 2)
  })

  it('a failure halfway through writing the transcript rolls every row back', () => {
    const { kit, ana } = setup()
    const { id } = kit.conversation()
    kit.fill(id, 10, ana)
    const good = (n: number): FiledMessage => ({
      messageId: `m${n}`,
      kind: 'note',
      authorId: ana.id,
      authorName: 'Ana',
      text: 'x',
      createdAt: n,
      data: null,
    })
    const broken = { ...good(3), text: null } as unknown as FiledMessage // NOT NULL, mid-way
    const plan = {
      conversationId: id,
      docName: conversationDocName(id),
      messages: [good(1), good(2), broken, good(4)],
      now: Date.now(),
      newTicket: { contactId: 'c', status: 'closed' as const, assigneeId: null, createdBy: ana.id },
      closedEvent: () => ({ event: closedEvent(id, ana), message: good(9) }),
    }
    expect(() => kit.deps.transcripts.file(plan)).toThrow(/NOT NULL/)
    expect(filedCount(kit)).toBe(0)
    expect(kit.deps.tickets.forConversation(id)).toBeUndefined()
    expect(status(kit, id)).toBe('open')
    expect(docRows(kit, id)).toBeGreaterThan(0)
  })

  it('refuses a conversation that is closed already', () => {
    const { kit, ana } = setup()
    const { id } = kit.conversation()
    closeConversation(kit.deps, id, ana)
    expect(() => closeConversation(kit.deps, id, ana)).toThrow(/no such open conversation/)
  })
})

describe('reconcileInbox (start-up)', () => {
  it('removes the card of a conversation filed just before a crash, and nothing else', () => {
    const { kit, ana } = setup()
    const closing = kit.conversation('Closing', '5511911110000')
    const staying = kit.conversation('Staying', '5511922220000')
    const deleting = kit.conversation('Deleting', '5511933330000')
    const messages = kit.fill(closing.id, 8, ana)
    // The commit happens, then the process dies before the doc and card are dropped.
    const name = conversationDocName(closing.id)
    const plan = {
      conversationId: closing.id,
      docName: name,
      messages: messages.map((m: Message) => fileMessage(m, null)),
      now: Date.now(),
      newTicket: {
        contactId: closing.contactId,
        status: 'closed' as const,
        assigneeId: null,
        createdBy: ana.id,
      },
      closedEvent: () => ({
        event: closedEvent(closing.id, ana),
        message: {
          messageId: 'closed-1',
          kind: 'event' as const,
          authorId: ana.id,
          authorName: 'Ana',
          text: 'closed',
          createdAt: 1,
          data: null,
        },
      }),
    }
    kit.deps.transcripts.file(plan)
    kit.deps.transcripts.purge(deleting.id, conversationDocName(deleting.id))

    const restarted = kit.reopen()
    kits.push(restarted)
    const inbox = restarted.docs.get(INBOX_DOC).doc
    expect(readInboxEntry(inbox, closing.id)).toBeDefined()
    expect(reconcileInbox(restarted.deps)).toBe(2)
    expect(readInboxEntry(inbox, closing.id)).toBeUndefined()
    expect(readInboxEntry(inbox, deleting.id)).toBeUndefined()
    expect(readInboxEntry(inbox, staying.id)).toBeDefined()
    // Never both: the filed conversation's doc is gone and may not be served.
    expect(restarted.docs.resolve(name)).toBeNull()
    const ticket = restarted.deps.tickets.forConversation(closing.id)!
    expect(restarted.deps.transcripts.messages(ticket.id)).toHaveLength(9)
    expect(reconcileInbox(restarted.deps)).toBe(0)
  })
})

describe('deleteConversation', () => {
  it('removes the conversation, its ticket and events; only admins and the assignee may', () => {
    const { kit, ana, bob } = setup()
    const admin = kit.agent('Root', 'admin')
    const { id } = busyConversation(kit, ana, bob) // assigned to Bob
    expect(() => deleteConversation(kit.deps, id, ana)).toThrow(/Only an admin or the agent/)
    deleteConversation(kit.deps, id, bob)
    expect(kit.deps.conversations.get(id)).toBeUndefined()
    expect(kit.deps.tickets.forConversation(id)).toBeUndefined()
    expect(kit.deps.events.forConversation(id)).toEqual([])
    expect(docRows(kit, id)).toBe(0)
    expect(hasCard(kit, id)).toBe(false)

    const other = kit.conversation()
    expect(() => deleteConversation(kit.deps, other.id, ana)).toThrow(/Only an admin/) // unassigned
    deleteConversation(kit.deps, other.id, admin)
    expect(kit.deps.conversations.get(other.id)).toBeUndefined()
  })
})
