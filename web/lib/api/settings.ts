import { callApi, type Fetch } from './http'

/** The admin settings API: the WhatsApp channel, read receipts and the report's shifts. */

/** A saved secret is never sent back: only whether there is one, and its last four characters. */
export interface SecretState {
  set: boolean
  last4: string | null
}

/** Where the running WhatsApp channel's credentials come from. */
export type ChannelSource = 'settings' | 'environment' | 'simulator' | 'none'

export interface WhatsAppSettings {
  accountName: string
  displayNumber: string
  phoneNumberId: string
  businessAccountId: string
  graphApiVersion: string
  accessToken: SecretState
  appSecret: SecretState
  verifyToken: string
  policiesAccepted: boolean
  policiesAcceptedAt: string | null
  source: ChannelSource
  demo: boolean
  /** The webhook URL to give Meta. */
  callbackUrl: string
}

export interface Settings {
  whatsapp: WhatsAppSettings
  readReceipts: boolean
}

/** What the WhatsApp form sends; a secret left out keeps the saved one. */
export interface WhatsAppFields {
  accountName: string
  displayNumber: string
  phoneNumberId: string
  businessAccountId: string
  graphApiVersion: string
  verifyToken: string
  accessToken?: string
  appSecret?: string
}

export type ConnectionTest =
  { ok: true; displayPhoneNumber: string; verifiedName: string } | { ok: false; error: string }

export type ShiftName = 'morning' | 'afternoon' | 'night'
/** When each shift starts, `HH:MM`. */
export type ShiftStarts = Record<ShiftName, string>

/** GET /api/settings (admins). */
export function getSettings(fetchFn: Fetch): Promise<Settings> {
  return callApi(fetchFn, '/api/settings')
}

/** PUT /api/settings/whatsapp: takes effect at once on the server. */
export async function putWhatsApp(
  fetchFn: Fetch,
  fields: WhatsAppFields & { policiesAccepted: boolean },
): Promise<WhatsAppSettings> {
  return callApi(fetchFn, '/api/settings/whatsapp', { method: 'PUT', json: fields })
}

/** POST /api/settings/whatsapp/test: asks Graph about the number with these (or saved) values. */
export function testWhatsApp(
  fetchFn: Fetch,
  fields: Partial<WhatsAppFields>,
): Promise<ConnectionTest> {
  return callApi(fetchFn, '/api/settings/whatsapp/test', { method: 'POST', json: fields })
}

/** PUT /api/settings/read-receipts. */
export async function putReadReceipts(fetchFn: Fetch, enabled: boolean): Promise<boolean> {
  const body = await callApi<{ enabled: boolean }>(fetchFn, '/api/settings/read-receipts', {
    method: 'PUT',
    json: { enabled },
  })
  return body.enabled
}

/** GET /api/reports/shifts: where the report's shifts start. */
export async function getShifts(fetchFn: Fetch): Promise<ShiftStarts> {
  return (await callApi<{ shifts: ShiftStarts }>(fetchFn, '/api/reports/shifts')).shifts
}

/** PUT /api/reports/shifts (admins); 400 with a message when they do not make sense. */
export async function putShifts(fetchFn: Fetch, shifts: ShiftStarts): Promise<ShiftStarts> {
  const body = await callApi<{ shifts: ShiftStarts }>(fetchFn, '/api/reports/shifts', {
    method: 'PUT',
    json: { shifts },
  })
  return body.shifts
}
