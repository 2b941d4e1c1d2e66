import { createContext } from 'svelte'
import type { InboxState } from './inbox.svelte'

/** The signed-in area's inbox, created once by the (app) layout and read by its pages. */
export const [getInboxState, setInboxState] = createContext<InboxState>()
