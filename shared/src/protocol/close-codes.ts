/**
 * The sync socket's close codes: the one list both the server (which closes) and the web (which
 * reacts) read, as Hocuspocus keeps its `CloseEvents.ts`. 4400-4499 tell the stock y-websocket client
 * not to reconnect; 4500-4599 ask it to.
 */
export const CLOSE = {
  /** A garbage frame or a presence state that doesn't fit its schema. */
  malformed: 4400,
  /** Signed out or the session expired. */
  unauthorized: 4401,
  /** The update broke the document's rules; the server dropped it (and will again). */
  forbidden: 4403,
  /** No such document (a conversation closed or deleted while this device was away). */
  unknownDocument: 4404,
  /** The document was removed while open (conversation deleted or closed). */
  gone: 4410,
  /** Storage or server trouble: reconnect. */
  serverError: 4500,
  /** Access changed (a role change): reconnect and be checked again. */
  reconnect: 4501,
  /** The server is shutting down: reconnect to another process or after the restart. */
  shuttingDown: 4503,
} as const

export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE]
