/** Who is on a conversation card besides the customer: plain data, computed by the list. */
export interface CardPeople {
  /** The assignee's name, when the conversation has one. */
  assignee: string | null
  /** Colleagues with the conversation open now. */
  viewers: { id: string; name: string }[]
  /** Colleagues typing in it now. */
  typists: { name: string; mode: 'reply' | 'note' }[]
}
