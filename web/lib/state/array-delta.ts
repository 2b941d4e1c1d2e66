/** A Y.Array change as Yjs reports it (`event.changes.delta`). */
export type ArrayDelta = { insert?: unknown[] | string; retain?: number; delete?: number }[]

/**
 * Applies a Y.Array delta to the plain copy: retained runs are copied, inserts spliced in,
 * deletes skipped. The common case, an append, is one slice and a push.
 */
export function applyArrayDelta<T>(current: readonly T[], delta: ArrayDelta): T[] {
  if (
    delta.length === 2 &&
    delta[0]!.retain === current.length &&
    Array.isArray(delta[1]!.insert)
  ) {
    return [...current, ...(delta[1]!.insert as T[])]
  }
  const next: T[] = []
  let at = 0
  for (const op of delta) {
    if (op.retain !== undefined) {
      for (let end = at + op.retain; at < end; at++) next.push(current[at]!)
    } else if (op.delete !== undefined) {
      at += op.delete
    } else if (Array.isArray(op.insert)) {
      for (const value of op.insert) next.push(value as T)
    }
  }
  while (at < current.length) next.push(current[at++]!)
  return next
}
