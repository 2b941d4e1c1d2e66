/**
 * The fields of `after` that differ from `before`: an edit sends only these, so the server (and
 * its audit log) knows what actually changed. Empty when nothing did.
 */
export function changedFields<T extends object>(before: T, after: Partial<T>): Partial<T> {
  return Object.fromEntries(
    Object.entries(after).filter(([key, value]) => before[key as keyof T] !== value),
  ) as Partial<T>
}

/**
 * Saves what an editor dialog holds: creates when nothing is being edited, else updates with only
 * the changed fields. Null when an edit changed nothing, so there was nothing to send.
 */
export async function createOrUpdate<T extends { id: string }, F extends Partial<T>>(
  editing: T | null,
  fields: F,
  create: (fields: F) => Promise<T>,
  update: (id: string, changes: Partial<T>) => Promise<T>,
): Promise<T | null> {
  if (!editing) return create(fields)
  const changes = changedFields(editing, fields)
  if (Object.keys(changes).length === 0) return null
  return update(editing.id, changes)
}
