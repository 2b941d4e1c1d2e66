import type { AuditEntry } from '$lib/api/audit'
import type { Dictionary } from '$lib/i18n'

/** An audit entry as the table shows it: each cell in words. */
export interface AuditRow {
  id: string
  at: number
  who: string
  what: string
  details: string
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The label the settings pages give a field, so "changed: accountName" reads "Account name". */
function fieldLabel(field: string, m: Dictionary): string {
  const w = m.whatsappSettings
  const labels: Record<string, string> = {
    name: m.agentSettings.name,
    email: m.agentSettings.email,
    role: m.agentSettings.role,
    active: m.agentSettings.status,
    password: m.agentSettings.password,
    title: m.cannedSettings.fieldTitle,
    text: m.cannedSettings.text,
    kind: m.cannedSettings.kind,
    language: m.templateSettings.language,
    category: m.templateSettings.category,
    body: m.templateSettings.body,
    accountName: w.accountName,
    displayNumber: w.displayNumber,
    phoneNumberId: w.phoneNumberId,
    businessAccountId: w.businessAccountId,
    graphApiVersion: w.graphApiVersion,
    verifyToken: w.verifyToken,
    accessToken: w.accessToken,
    appSecret: w.appSecret,
    failures: m.audit.failures,
    addresses: m.audit.addresses,
  }
  return labels[field] ?? field
}

/** Any other value, plainly: lists joined, yes/no, objects as `key: value`. */
function plain(value: unknown, m: Dictionary): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'boolean') return value ? m.audit.yes : m.audit.no
  if (typeof value === 'string' || typeof value === 'number') return String(value)
  if (Array.isArray(value)) {
    return value
      .map((item) => plain(item, m))
      .filter(Boolean)
      .join(', ')
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => [key, plain(item, m)] as const)
      .filter(([, text]) => text !== '')
      .map(([key, text]) => `${key}: ${text}`)
      .join(', ')
  }
  return ''
}

/** One detail in words, or '' when there is nothing to say. */
function detail(key: string, value: unknown, m: Dictionary): string {
  switch (key) {
    case 'role':
      return typeof value === 'string'
        ? m.audit.role((m.agentSettings.roles as Record<string, string>)[value] ?? value)
        : ''
    case 'active':
      return value === true ? m.audit.reactivated : value === false ? m.audit.deactivated : ''
    case 'passwordReset':
      return value === true ? m.audit.passwordReset : ''
    case 'policiesAccepted':
      return value === true ? m.audit.policiesAccepted : ''
    case 'enabled':
      return value === true ? m.audit.on : value === false ? m.audit.off : ''
    case 'fields':
    case 'changed':
      return Array.isArray(value) && value.length > 0
        ? m.audit.changed(value.map((field) => fieldLabel(String(field), m)).join(', '))
        : ''
    case 'kind':
      return (m.cannedSettings.kinds as Record<string, string>)[String(value)] ?? plain(value, m)
    case 'category':
      return (
        (m.templateSettings.categories as Record<string, string>)[String(value)] ?? plain(value, m)
      )
    case 'shifts':
      if (value && typeof value === 'object') {
        const shifts = m.reports.shifts as Record<string, string>
        return Object.entries(value as Record<string, unknown>)
          .map(([shift, start]) => `${shifts[shift] ?? shift} ${plain(start, m)}`)
          .join(', ')
      }
      return plain(value, m)
    default: {
      const text = plain(value, m)
      return text ? `${fieldLabel(key, m)}: ${text}` : ''
    }
  }
}

/**
 * One entry in words: who, the action (translated when known, as written otherwise), and what it
 * was about, by name where the details or `nameOf` (agent ids → names) know it.
 */
export function auditRow(
  entry: AuditEntry,
  m: Dictionary,
  nameOf: (id: string) => string | undefined = () => undefined,
): AuditRow {
  const known = m.audit.actions[entry.action] !== undefined
  const details =
    entry.details && typeof entry.details === 'object' && !Array.isArray(entry.details)
      ? (entry.details as Record<string, unknown>)
      : {}
  const target = typeof entry.target === 'string' ? entry.target : null
  const named = details.name ?? details.title
  // What it was about: its name (with email or language), else the agent behind the id, else the
  // target itself when the action is unknown (a known action already says "the shifts").
  let subject = typeof named === 'string' && named ? named : ''
  if (subject && typeof details.email === 'string') subject += ` (${details.email})`
  if (subject && typeof details.language === 'string') subject += ` (${details.language})`
  if (!subject && target) subject = nameOf(target) ?? (known || UUID.test(target) ? '' : target)
  if (!subject && !known && entry.target !== null && typeof entry.target === 'object')
    subject = plain(entry.target, m)

  const said = new Set(['name', 'title', 'email', 'language'])
  const parts = Object.entries(details)
    .filter(([key]) => !(subject && said.has(key)))
    .map(([key, value]) => detail(key, value, m))
    .filter(Boolean)
  if (!known && !Object.keys(details).length && entry.details != null)
    parts.push(plain(entry.details, m))

  return {
    id: String(entry.id),
    at: Date.parse(entry.at),
    who: entry.actor?.name || m.audit.system,
    what: m.audit.actions[entry.action] ?? entry.action,
    details: [subject, ...parts].filter(Boolean).join(' · '),
  }
}
