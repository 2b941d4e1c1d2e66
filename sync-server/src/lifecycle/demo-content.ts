/**
 * The one-command demo's starter content: a few canned responses (the greetings show placeholders
 * at work) and an approved message template, in English and Portuguese, so both features can be
 * tried at once. Seeded once per data
 * directory: a flag in the settings table says it was done, so what an admin deletes stays
 * deleted across restarts. Never outside the demo (a real team starts with its own).
 */
import type { Logger } from '../log.js'
import type { Accounts } from '../store/accounts.js'
import { createCannedResponseStore, type CannedResponseFields } from '../store/canned-responses.js'
import type { Db } from '../store/db.js'
import { createSettingsStore } from '../store/settings.js'
import { createTemplateStore, type TemplateFields } from '../store/templates.js'
import { DEMO_ACCOUNTS } from './seed.js'

export const DEMO_CANNED_RESPONSES: readonly CannedResponseFields[] = [
  {
    title: 'Greeting',
    text: 'Hello {{contact.first_name}}! This is {{agent.first_name}}. Thanks for getting in touch. How can I help you today?',
    kind: 'public',
  },
  {
    title: 'Saudação',
    text: 'Olá, {{contato.primeiro_nome}}! Aqui é {{agente.primeiro_nome}}. Obrigado pelo contato. Como posso ajudar hoje?',
    kind: 'public',
  },
  {
    title: 'Order status',
    text: 'Let me check your order. Could you send me its number?',
    kind: 'public',
  },
  {
    title: 'Status do pedido',
    text: 'Vou verificar o seu pedido. Pode me enviar o número dele?',
    kind: 'public',
  },
  {
    title: 'Anything else?',
    text: 'Is there anything else I can help you with?',
    kind: 'public',
  },
  {
    title: 'Algo mais?',
    text: 'Posso ajudar em algo mais?',
    kind: 'public',
  },
]

/** `follow_up`, as approved on Meta's side, in both languages; `{{1}}` is the customer's name. */
export const DEMO_TEMPLATES: readonly TemplateFields[] = [
  {
    name: 'follow_up',
    language: 'en',
    category: 'UTILITY',
    body: 'Hello {{1}}, we are following up on your request. Reply to this message to continue.',
  },
  {
    name: 'follow_up',
    language: 'pt_BR',
    category: 'UTILITY',
    body: 'Olá {{1}}, estamos retomando a sua solicitação. Responda esta mensagem para continuar.',
  },
]

/**
 * Seeds the demo's canned responses and templates unless this data directory had them once.
 * Needs the demo admin (their author); without it nothing is seeded, nor marked.
 */
export function seedDemoContent(options: {
  db: Db
  accounts: Pick<Accounts, 'findByEmail'>
  log: Logger
}): void {
  const { db } = options
  const settings = createSettingsStore(db)
  if (settings.get('demoContentSeeded')) return
  const admin = DEMO_ACCOUNTS.find((account) => account.role === 'admin')!
  const author = options.accounts.findByEmail(admin.email)
  if (!author) return
  const canned = createCannedResponseStore(db)
  const templates = createTemplateStore(db)
  db.transaction(() => {
    for (const fields of DEMO_CANNED_RESPONSES) canned.create(fields, author.id)
    for (const fields of DEMO_TEMPLATES) {
      if (!templates.find(fields.name, fields.language)) templates.create(fields)
    }
    settings.set('demoContentSeeded', true)
  })()
  options.log.child('seed').info('demo canned responses and templates created', {
    cannedResponses: DEMO_CANNED_RESPONSES.length,
    templates: DEMO_TEMPLATES.length,
  })
}
