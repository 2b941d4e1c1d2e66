import type { AgentId } from './ids.js'

export const ROLES = ['agent', 'admin'] as const
export type Role = (typeof ROLES)[number]

/** An agent or admin as every signed-in user may see them (never the password hash). */
export interface Agent {
  id: AgentId
  name: string
  email: string
  role: Role
  active: boolean
}

/** Who is acting: the identity a socket or request was authenticated as. */
export interface Actor {
  id: AgentId
  role: Role
}
