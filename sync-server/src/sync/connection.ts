import type { Actor } from '@atende/shared'
import type { Logger } from '../log.js'
import {
  CLOSE,
  decodeClientFrame,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  ProtocolError,
} from './protocol.js'
import { RuleViolation, type Peer, type SharedDoc } from './shared-doc.js'

/** What the sync core needs of a WebSocket; tests drive it directly, production wraps `ws`. */
export interface Socket {
  send(frame: Uint8Array): void
  close(code: number, reason: string): void
  readonly isOpen: boolean
  /** Bytes queued but not yet written to the network. */
  readonly bufferedAmount: number
}

/** A peer that lets this much pile up unread is dropped; it resyncs when it reconnects. */
const MAX_BUFFERED = 32 * 1024 * 1024

/**
 * One authenticated socket on one document. Every frame is handled in isolation: a malformed
 * frame or a forbidden update closes this socket with a 4xxx code and a log line, and never reaches
 * the document, the other peers or the process.
 */
export class Connection implements Peer {
  private closedByUs = false

  constructor(
    private readonly socket: Socket,
    readonly actor: Actor,
    readonly token: string,
    private readonly shared: SharedDoc,
    private readonly log: Logger,
    private readonly agentName: (agentId: string) => string | null = () => null,
  ) {}

  /** Looked up at each publish, so a renamed agent shows the new name at once. */
  presenceName(): string | null {
    return this.agentName(this.actor.id)
  }

  /** Opens the y-websocket handshake: our state vector, then who is present. */
  start(): void {
    this.shared.flush()
    this.shared.addPeer(this)
    this.send(encodeSyncStep1(this.shared.doc))
    const present = [...this.shared.awareness.getStates().keys()]
    if (present.length > 0) this.send(encodeAwareness(this.shared.awareness, present))
  }

  receive(data: Uint8Array): void {
    if (this.closedByUs) return
    try {
      const frame = decodeClientFrame(data)
      switch (frame.type) {
        case 'sync-step-1':
          this.shared.flush() // never show a peer state that is not on disk yet
          this.send(encodeSyncStep2(this.shared.doc, frame.stateVector))
          break
        case 'sync-update':
          this.shared.applyClientUpdate(frame.update, this)
          break
        case 'awareness':
          this.shared.applyClientAwareness(frame.update, this)
          break
        case 'query-awareness': {
          const present = [...this.shared.awareness.getStates().keys()]
          this.send(encodeAwareness(this.shared.awareness, present))
          break
        }
      }
    } catch (err) {
      if (err instanceof RuleViolation) {
        this.log.warn('forbidden update refused', {
          doc: this.shared.name.name,
          agent: this.actor.id,
          reason: err.message,
        })
        this.close(CLOSE.forbidden, err.message.slice(0, 120))
      } else if (err instanceof ProtocolError) {
        this.log.warn('malformed frame refused', {
          doc: this.shared.name.name,
          agent: this.actor.id,
          reason: err.message,
        })
        this.close(CLOSE.malformed, err.message.slice(0, 120))
      } else {
        this.log.error('frame handling failed', { doc: this.shared.name.name, err })
        this.close(CLOSE.serverError, 'server error, reconnect')
      }
    }
  }

  send(frame: Uint8Array): void {
    if (this.closedByUs || !this.socket.isOpen) return
    if (this.socket.bufferedAmount > MAX_BUFFERED) {
      this.close(CLOSE.serverError, 'too far behind, reconnect')
      return
    }
    this.socket.send(frame)
  }

  close(code: number, reason: string): void {
    if (this.closedByUs) return
    this.closedByUs = true
    this.shared.removePeer(this)
    this.socket.close(code, reason)
  }

  /** The socket closed (either side): forget the peer and its presence. */
  closed(): void {
    this.closedByUs = true
    this.shared.removePeer(this)
  }
}
