import { getContext, setContext } from 'svelte'
import type { PlaceholderSources } from '@atende/shared'

/**
 * Who a canned response's placeholders stand for in the conversation on screen: its contact and
 * the signed-in agent. Set by the conversation view, read where a canned response is picked, so
 * the composer between them needs to know nothing about placeholders.
 */
const KEY = Symbol('placeholder-sources')

export function setPlaceholderSources(sources: () => PlaceholderSources): void {
  setContext(KEY, sources)
}

/** The current sources, or null outside a conversation (nothing is filled in then). */
export function getPlaceholderSources(): (() => PlaceholderSources) | null {
  return getContext<(() => PlaceholderSources) | undefined>(KEY) ?? null
}
