/**
 * Applies accepted webhook events to the documents, a batch at a time.
 *
 * Dedupe and ordering: a customer message is new when its wamid is neither in the wamid index nor
 * earlier in the batch; it is inserted into its conversation by WhatsApp timestamp, so deliveries
 * may come in any order. A status is new when its (wamid, status) pair was never stored; receipts
 * only move forward (../delivery.ts), so a late or repeated status changes nothing. A reaction is
 * kept when it is at least as recent as the one stored for that (message, customer).
 *
 * Crash safety: the documents' updates and the SQLite bookkeeping (wamid index, statuses,
 * reactions, media rows, the applied mark, the applied events' rows deleted) commit in one
 * transaction, so a crash leaves a batch either applied or not at all. Should a batch's documents
 * ever be written without their bookkeeping (the inbox cards failing, below), the retry finds the
 * messages already in the documents (their ids derive from the wamid) and only redoes the rest.
 */
import {
  conversationDocName,
  INBOX_DOC,
  type CustomerMessage,
  type EventMessage,
  type MessageId,
} from '@atende/shared'
import type { ConversationDeps } from '../../lifecycle/conversations.js'
import { openConversation } from '../../lifecycle/conversations.js'
import type { Logger } from '../../log.js'
import type { Contact, ContactStore } from '../../store/contacts.js'
import type { Db } from '../../store/db.js'
import type { MediaStore } from '../../store/media.js'
import type {
  AmendmentRow,
  ReactionRow,
  StatusRow,
  WaMessageRow,
  WaMessageStore,
} from '../../store/wa-messages.js'
import type { WebhookEventStore } from '../../store/webhook-events.js'
import { UnknownDocument } from '../../sync/docs.js'
import { receiptOfStatus } from '../delivery.js'
import {
  messageIdFor,
  parseWebhook,
  type InboundOp,
  type InboundSender,
  type MediaDownload,
} from './parse.js'
import {
  writeConversation,
  writeInbox,
  type AmendmentChange,
  type ConversationChanges,
} from './write.js'

/** A webhook delivery stored in the intake table, parsed. */
export interface AcceptedEvent {
  seq: number
  receivedAt: number
  payload: unknown
  /** It failed before and is retried (its failure mark is cleared once it applies). */
  retry?: boolean
}

export interface ApplyDeps extends ConversationDeps {
  db: Db
  contacts: ContactStore
  events: WebhookEventStore
  wa: WaMessageStore
  media: MediaStore
  log: Logger
  /** The business number in force (changes for other numbers are skipped). */
  phoneNumberId(): string | null
  /** Called when downloads were queued. */
  onMediaQueued(): void
}

export interface ApplyResult {
  messages: number
  statuses: number
  reactions: number
  amendments: number
  failed: number
}

interface Group extends ConversationChanges {
  conversationId: string
  seqs: Set<number>
  index: WaMessageRow[]
  mediaRows: Array<MediaDownload & { conversationId: string; messageId: string }>
  statusRows: StatusRow[]
  reactionRows: ReactionRow[]
  amendmentRows: AmendmentRow[]
  /** Stored edits and revokes that waited for a message of this batch, now laid over it. */
  settledAmendments: string[]
  /** The contact's number changed: the card and meta follow even with no new message. */
  contactChanged: boolean
  failed: boolean
}

/** Applies a batch of events; never throws for one bad event (it stays unapplied, with a reason). */
export function applyEvents(deps: ApplyDeps, events: readonly AcceptedEvent[]): ApplyResult {
  const planned: Array<{ seq: number; op: InboundOp }> = []
  const unreadable: Array<{ seq: number; err: unknown }> = []
  const phoneNumberId = deps.phoneNumberId()
  for (const event of events) {
    try {
      const { ops, notes } = parseWebhook(event.payload, {
        phoneNumberId,
        receivedAt: event.receivedAt,
      })
      if (notes.length > 0) deps.log.info('webhook parts skipped', { seq: event.seq, notes })
      for (const op of ops) planned.push({ seq: event.seq, op })
    } catch (err) {
      unreadable.push({ seq: event.seq, err })
    }
  }
  // Every wamid the batch looks up, in two queries rather than a few per event.
  const wamids = new Set<string>()
  const statusWamids = new Set<string>()
  const amendWamids = new Set<string>()
  for (const { op } of planned) {
    wamids.add(op.wamid)
    if (op.kind === 'message' && op.quotedWamid) wamids.add(op.quotedWamid)
    if (op.kind === 'reaction') wamids.add(op.targetWamid)
    if (op.kind === 'status') statusWamids.add(op.wamid)
    if (op.kind === 'amend') {
      wamids.add(op.targetWamid)
      amendWamids.add(op.wamid)
    }
  }
  const batch = new Batch(
    deps,
    deps.wa.getMany([...wamids]),
    deps.wa.statusKeys([...statusWamids]),
    deps.wa.amendmentKeys([...amendWamids]),
  )
  for (const { seq, err } of unreadable) batch.fail(seq, err)
  for (const { seq, op } of planned) batch.plan(seq, op)
  return batch.commit(events)
}

class Batch {
  private readonly groups = new Map<string, Group | null>()
  private readonly contacts = new Map<string, { contact: Contact; profileName: string | null }>()
  private readonly conversations = new Map<string, string>()
  /** Wamids indexed by this batch (its own dedupe and reply lookups). */
  private readonly indexed = new Map<string, WaMessageRow>()
  private readonly reactions = new Map<string, ReactionRow>()
  /** Rows that wait for their wamid, or that are settled without a document write. */
  private readonly looseStatuses: StatusRow[] = []
  private readonly looseReactions: ReactionRow[] = []
  private readonly looseAmendments: AmendmentRow[] = []
  /** Loose statuses settled without a write (their conversation is closed). */
  private readonly statusApplied = new Set<string>()
  private readonly failed = new Map<number, string>()
  private readonly pendingReactionsExist: boolean
  private readonly pendingAmendmentsExist: boolean
  private readonly counts = { messages: 0, statuses: 0, reactions: 0, amendments: 0 }

  constructor(
    private readonly deps: ApplyDeps,
    /** Index rows of the batch's wamids (prefetched). */
    private readonly known: Map<string, WaMessageRow>,
    /** `<wamid>|<status>` stored already, and those of this batch as it goes. */
    private readonly statusKeys: Set<string>,
    /** Wamids of edits and revokes stored already, and those of this batch as it goes. */
    private readonly amendmentKeys: Set<string>,
  ) {
    this.pendingReactionsExist = deps.wa.anyPendingReactions()
    this.pendingAmendmentsExist = deps.wa.anyPendingAmendments()
  }

  plan(seq: number, op: InboundOp): void {
    try {
      if (op.kind === 'message') this.planMessage(seq, op)
      else if (op.kind === 'reaction') this.planReaction(seq, op)
      else if (op.kind === 'amend') this.planAmendment(seq, op)
      else if (op.kind === 'identity') this.planIdentity(seq, op)
      else this.planStatus(seq, op)
    } catch (err) {
      this.fail(seq, err)
    }
  }

  private planMessage(seq: number, op: Extract<InboundOp, { kind: 'message' }>): void {
    if (this.lookup(op.wamid)) return
    const contact = this.contactOf(op.sender)
    const conversationId = this.conversationOf(contact)
    const group = this.group(conversationId)
    if (!group) throw new Error('the conversation document cannot be opened')
    const message: CustomerMessage = { ...op.message, authorId: contact.id }
    const quoted = op.quotedWamid ? this.lookup(op.quotedWamid) : undefined
    if (quoted && quoted.conversationId === conversationId)
      message.replyTo = quoted.messageId as MessageId
    group.messages.push(message)
    group.contact = contact
    group.seqs.add(seq)
    const row: WaMessageRow = {
      wamid: op.wamid,
      direction: 'in',
      conversationId,
      messageId: message.id,
      createdAt: message.createdAt,
    }
    group.index.push(row)
    this.indexed.set(op.wamid, row)
    if (op.media) {
      group.mediaIds.push(op.media.mediaId)
      group.mediaRows.push({ ...op.media, conversationId, messageId: message.id })
    }
    // Reactions that overtook this message.
    if (this.pendingReactionsExist) {
      for (const pending of this.deps.wa.pendingReactions(op.wamid)) {
        const key = `${pending.targetWamid}|${pending.contactId}`
        if (this.reactions.has(key)) continue
        const applied = { ...pending, applied: true }
        this.reactions.set(key, applied)
        group.reactions.push({
          messageId: message.id,
          contactId: pending.contactId,
          emoji: pending.emoji,
          at: pending.at,
        })
        group.reactionRows.push(applied)
      }
    }
    // Edits and deletions that overtook this message.
    if (this.pendingAmendmentsExist) {
      for (const pending of this.deps.wa.pendingAmendments(op.wamid)) {
        group.amendments.push(amendmentChange(message.id, pending))
        group.settledAmendments.push(pending.wamid)
      }
    }
    // And those that came earlier in this very batch.
    for (const row of this.looseAmendments) {
      if (row.applied || row.targetWamid !== op.wamid) continue
      row.applied = true
      group.amendments.push(amendmentChange(message.id, row))
    }
    this.counts.messages++
  }

  /**
   * An edit or revoke: laid over its message, once (its own wamid dedupes redeliveries). Its
   * message not known yet: kept, and laid over it when it lands (`planMessage`). Only a
   * customer's own message can be amended; one of a closed conversation is settled unshown.
   */
  private planAmendment(seq: number, op: Extract<InboundOp, { kind: 'amend' }>): void {
    if (this.amendmentKeys.has(op.wamid)) return
    this.amendmentKeys.add(op.wamid)
    this.counts.amendments++
    const target = this.lookup(op.targetWamid)
    const row: AmendmentRow = {
      wamid: op.wamid,
      targetWamid: op.targetWamid,
      kind: op.edit ? 'edit' : 'revoke',
      text: op.edit?.text ?? null,
      at: op.at,
      applied: target !== undefined,
    }
    if (!target) {
      this.looseAmendments.push(row)
      return
    }
    const group = target.direction === 'in' ? this.group(target.conversationId) : null
    if (!group) {
      this.deps.log.info('amendment of a closed conversation or our own message ignored', { seq })
      this.looseAmendments.push(row)
      return
    }
    group.amendments.push(amendmentChange(target.messageId, row))
    group.amendmentRows.push(row)
    group.seqs.add(seq)
  }

  /**
   * The customer changed their number: the contact takes the new wa_id (and user id), so later
   * replies, and those still queued, go to it; its live conversation carries on and says so.
   * The event's id derives from the wamid, and the wamid is indexed: a redelivery changes nothing.
   */
  private planIdentity(seq: number, op: Extract<InboundOp, { kind: 'identity' }>): void {
    if (this.lookup(op.wamid)) return
    const previous = op.previousUserId
      ? { waId: op.sender.identity.waId, userId: op.previousUserId }
      : op.sender.identity
    const contact =
      this.deps.contacts.findByIdentity(previous) ??
      this.deps.contacts.findByIdentity(op.sender.identity)
    if (!contact) {
      this.deps.log.info('identity change of an unknown customer ignored', { seq })
      return
    }
    const moved = this.deps.contacts.changeIdentity(contact.id, {
      waId: op.newWaId,
      userId: op.newUserId,
    })!
    this.contacts.clear()
    const conversation = this.deps.conversations.openFor(moved.id)
    const group = conversation ? this.group(conversation.id) : null
    const row: WaMessageRow = {
      wamid: op.wamid,
      direction: 'in',
      conversationId: group?.conversationId ?? '',
      messageId: messageIdFor(op.wamid),
      createdAt: op.at,
    }
    this.indexed.set(op.wamid, row)
    if (!group) return
    group.contact = moved
    group.contactChanged = true
    group.seqs.add(seq)
    group.index.push(row)
    if (op.newWaId && moved.phone !== contact.phone) {
      const event: EventMessage = {
        id: row.messageId as MessageId,
        kind: 'event',
        authorId: null,
        text: `The customer changed their number from ${contact.phone} to ${moved.phone}`,
        createdAt: op.at,
        event: { type: 'number_changed', fromPhone: contact.phone, toPhone: moved.phone },
      }
      group.events.push(event)
    }
  }

  private planReaction(seq: number, op: Extract<InboundOp, { kind: 'reaction' }>): void {
    const contact = this.contactOf(op.sender)
    const key = `${op.targetWamid}|${contact.id}`
    const prior = this.reactions.get(key) ?? this.deps.wa.reaction(op.targetWamid, contact.id)
    // Older than what we have, or the same reaction again: nothing to do.
    if (prior && (prior.at > op.at || (prior.at === op.at && prior.emoji === op.emoji))) return
    const target = this.lookup(op.targetWamid)
    const row: ReactionRow = {
      targetWamid: op.targetWamid,
      contactId: contact.id,
      emoji: op.emoji,
      at: op.at,
      applied: target !== undefined,
    }
    this.reactions.set(key, row)
    this.counts.reactions++
    const group = target && this.group(target.conversationId)
    if (!group) {
      // Unknown message: kept until it appears. Closed conversation: settled, nothing to show.
      if (target) this.deps.log.info('reaction to a closed conversation ignored', { seq })
      this.looseReactions.push(row)
      return
    }
    group.reactions.push({
      messageId: target.messageId,
      contactId: contact.id,
      emoji: op.emoji,
      at: op.at,
    })
    group.reactionRows.push(row)
    group.seqs.add(seq)
  }

  private planStatus(seq: number, op: Extract<InboundOp, { kind: 'status' }>): void {
    const key = `${op.wamid}|${op.status}`
    if (this.statusKeys.has(key)) return
    this.statusKeys.add(key)
    this.counts.statuses++
    const target = this.lookup(op.wamid)
    const row: StatusRow = {
      wamid: op.wamid,
      status: op.status,
      at: op.at,
      error: op.error,
      billingCategory: op.billing.category,
      conversationOrigin: op.billing.origin,
    }
    if (target?.direction !== 'out') {
      // Not known yet (the send has not recorded its wamid): kept for `recordSent`.
      if (!target) this.looseStatuses.push(row)
      return
    }
    const group = this.group(target.conversationId)
    if (!group) {
      this.deps.log.info('status for a closed conversation ignored', { seq })
      this.looseStatuses.push(row)
      this.statusApplied.add(key)
      return
    }
    group.receipts.push({ messageId: target.messageId, receipt: receiptOfStatus(row) })
    group.statusRows.push(row)
    group.seqs.add(seq)
  }

  private lookup(wamid: string): WaMessageRow | undefined {
    return this.indexed.get(wamid) ?? this.known.get(wamid)
  }

  private contactOf(sender: InboundSender): Contact {
    const { waId, userId } = sender.identity
    const key = waId ? `wa:${waId}` : `user:${userId ?? ''}`
    const cached = this.contacts.get(key)
    // Asked again when a later message of the batch carries another profile name (a rename).
    if (cached && (sender.profileName === null || sender.profileName === cached.profileName)) {
      return cached.contact
    }
    const contact = this.deps.contacts.findOrCreateByIdentity(sender.identity, sender.profileName)
    this.contacts.set(key, {
      contact,
      profileName: sender.profileName ?? cached?.profileName ?? null,
    })
    return contact
  }

  private conversationOf(contact: Contact): string {
    let id = this.conversations.get(contact.id)
    if (!id) {
      id = openConversation(this.deps, contact).conversation.id
      this.conversations.set(contact.id, id)
    }
    return id
  }

  /** The batch's changes to a conversation; null when its document cannot be opened (closed). */
  private group(conversationId: string): Group | null {
    if (this.groups.has(conversationId)) return this.groups.get(conversationId)!
    let group: Group | null = null
    try {
      const shared = this.deps.docs.get(conversationDocName(conversationId))
      group = {
        conversationId,
        shared,
        contact: null,
        messages: [],
        events: [],
        mediaIds: [],
        reactions: [],
        receipts: [],
        amendments: [],
        seqs: new Set(),
        index: [],
        mediaRows: [],
        statusRows: [],
        reactionRows: [],
        amendmentRows: [],
        settledAmendments: [],
        contactChanged: false,
        failed: false,
      }
    } catch (err) {
      if (!(err instanceof UnknownDocument)) throw err
    }
    this.groups.set(conversationId, group)
    return group
  }

  /** The event stays for a retry at the next start, with the reason. */
  fail(seq: number, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err)
    this.failed.set(seq, message)
    this.deps.log.error('applying a webhook event failed', { seq, err })
  }

  /**
   * Writes the documents and the bookkeeping in one SQLite transaction (one commit per batch); the
   * applied events' rows go in it too. If it fails, nothing of it is on disk: the documents reload
   * from disk and the error reaches the intake, which sets the whole batch aside for a retry.
   */
  commit(events: readonly AcceptedEvent[]): ApplyResult {
    const { deps } = this
    const failAll = (err: unknown) => {
      for (const group of this.groups.values()) {
        if (!group || group.failed) continue
        group.failed = true
        for (const seq of group.seqs) this.fail(seq, err)
      }
    }
    const now = Date.now()
    let mediaQueued = false
    deps.docs.batch(() => {
      const cards: Parameters<typeof writeInbox>[1] = []
      for (const group of this.groups.values()) {
        if (!group) continue
        try {
          const { fresh, amended } = writeConversation(group)
          if (fresh.length > 0 || amended.length > 0 || group.contactChanged)
            cards.push({
              conversationId: group.conversationId,
              contact: group.contact,
              messages: fresh,
              amended,
            })
        } catch (err) {
          group.failed = true
          for (const seq of group.seqs) this.fail(seq, err)
        }
      }
      try {
        writeInbox(deps.docs.get(INBOX_DOC), cards)
      } catch (err) {
        // The messages are in, the cards are stale: leave it all unindexed so the next start
        // redoes the batch (finding the messages in place) and the cards with it.
        failAll(err)
      }
      mediaQueued = this.bookkeeping(events, now)
    })
    if (mediaQueued) deps.onMediaQueued()
    return { ...this.counts, failed: this.failed.size }
  }

  /** The wamid index, statuses, reactions, media rows and the applied mark; true if media queued. */
  private bookkeeping(events: readonly AcceptedEvent[], now: number): boolean {
    const { deps } = this
    let mediaQueued = false
    for (const group of this.groups.values()) {
      if (!group || group.failed) continue
      for (const row of group.index) deps.wa.insert(row)
      for (const row of group.mediaRows) {
        deps.media.insertPending(
          {
            id: row.mediaId,
            conversationId: row.conversationId,
            messageId: row.messageId,
            waMediaId: row.waMediaId,
            kind: row.kind,
            mimeType: row.mimeType,
            fileName: row.fileName,
            sha256: row.sha256,
          },
          now,
        )
        mediaQueued = true
      }
      for (const row of group.statusRows) deps.wa.insertStatus(row, true, now)
      for (const row of group.reactionRows) deps.wa.upsertReaction(row)
      for (const row of group.amendmentRows) deps.wa.insertAmendment(row, now)
      for (const wamid of group.settledAmendments) deps.wa.markAmendmentApplied(wamid)
    }
    for (const row of this.looseAmendments) deps.wa.insertAmendment(row, now)
    for (const row of this.looseStatuses) {
      deps.wa.insertStatus(row, this.statusApplied.has(`${row.wamid}|${row.status}`), now)
    }
    for (const row of this.looseReactions) deps.wa.upsertReaction(row)
    for (const [seq, reason] of this.failed) deps.events.markFailed([seq], reason)
    const applied = events.filter((e) => !this.failed.has(e.seq)).map((e) => e.seq)
    deps.events.clearFailed(
      events.filter((e) => e.retry && !this.failed.has(e.seq)).map((e) => e.seq),
    )
    deps.events.forget(applied)
    if (events.length > 0) deps.events.settleThrough(Math.max(...events.map((e) => e.seq)))
    return mediaQueued
  }
}

/** An edit or revoke as the change its message's document takes. */
function amendmentChange(messageId: string, row: AmendmentRow): AmendmentChange {
  return {
    messageId,
    edit: row.kind === 'edit' ? { text: row.text ?? '', at: row.at, waMessageId: row.wamid } : null,
    revokedAt: row.kind === 'revoke' ? row.at : null,
  }
}
