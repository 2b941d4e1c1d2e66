/**
 * The fields of `after` that differ from `before`: an edit sends only these, so the server (and
 * its audit log) knows what actually changed. Empty when nothing did.
 */
export function changedFields<T extends object>(before: T, after: Partial<T>): Partial<T> {
  return Object.fromEntries(
    Object.entries(after).filter(([key, value]) => before[key as keyof T] !== value),
  ) as Partial<T>
}
