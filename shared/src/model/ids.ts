/** Branded string ids: the compiler keeps a conversation id from being passed as an agent id. */
declare const brand: unique symbol
type Brand<T, B extends string> = T & { readonly [brand]: B }

export type ConversationId = Brand<string, 'ConversationId'>
export type MessageId = Brand<string, 'MessageId'>
export type AgentId = Brand<string, 'AgentId'>
export type ContactId = Brand<string, 'ContactId'>
export type TicketId = Brand<string, 'TicketId'>

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** True for a canonical RFC 4122 uuid string (any version), the form every id here takes. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && value.length === 36 && UUID.test(value)
}

/** A fresh random uuid from the platform (browser or Node 20 both have `crypto.randomUUID`). */
export function newId<T extends string = string>(): T {
  // `crypto` is a global in browsers and Node 20; shared is typed without DOM or node types.
  const { crypto } = globalThis as unknown as { crypto: { randomUUID(): string } }
  return crypto.randomUUID() as T
}
