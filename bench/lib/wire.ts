/**
 * What the benches say on the wire: signed webhook deliveries as Meta sends them, posted over
 * keep-alive connections, and documents opened with the stock y-websocket client.
 */
import fs from 'node:fs'
import http from 'node:http'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { signWebhook } from '../../sync-server/src/whatsapp/signature.js'
import {
  messagesWebhook,
  metaJson,
  newWamid,
  textMessage,
  type Business,
} from '../../sync-server/src/whatsapp/simulator/payloads.js'

export const APP_SECRET = 'bench-app-secret-0123456789abcdef'
export const BUSINESS: Business = {
  wabaId: '102290129340398',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '15550783881',
}

/** The environment that runs Atende on a real (not simulated) channel whose Graph API is away. */
export const CHANNEL_ENV = {
  WHATSAPP_API_BASE: 'http://127.0.0.1:9/v25.0',
  WHATSAPP_ACCESS_TOKEN: 'bench-access-token',
  WHATSAPP_PHONE_NUMBER_ID: BUSINESS.phoneNumberId,
  WHATSAPP_APP_SECRET: APP_SECRET,
  WHATSAPP_VERIFY_TOKEN: 'bench-verify-token',
}

export interface Delivery {
  wamid: string
  body: Buffer
  signature: string
}

/** A Brazilian mobile number, one per customer index. */
export const waIdOf = (customer: number) => `55119${String(70000000 + customer).padStart(8, '0')}`

/** One customer's text message as a signed webhook delivery. */
export function textDelivery(customer: number, text: string, timestamp: number): Delivery {
  const waId = waIdOf(customer)
  const wamid = newWamid(waId)
  const body = Buffer.from(
    metaJson(
      messagesWebhook(
        BUSINESS,
        { waId, name: `Customer ${customer}` },
        textMessage(waId, text, { id: wamid, timestamp }),
      ),
    ),
  )
  return { wamid, body, signature: signWebhook(body, APP_SECRET) }
}

/** POSTs one delivery to /webhooks/whatsapp; resolves with the status code. */
export function post(agent: http.Agent, port: number, delivery: Delivery): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/webhooks/whatsapp',
        headers: {
          'content-type': 'application/json',
          'content-length': delivery.body.length,
          'x-hub-signature-256': delivery.signature,
        },
      },
      (response) => {
        response.resume()
        response.on('end', () => resolve(response.statusCode ?? 0))
      },
    )
    request.on('error', reject)
    request.end(delivery.body)
  })
}

/** A document opened as a browser would, with the stock client (`url` is the server's http URL). */
export function connect(url: string, docName: string, token: string) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(`${url.replace(/^http/, 'ws')}/sync`, docName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
  })
  const synced = new Promise<void>((resolve) => provider.once('sync', () => resolve()))
  return { doc, provider, synced, destroy: () => (provider.destroy(), doc.destroy()) }
}

/** CPU time a process has used so far (ms), from /proc (Linux); null elsewhere. */
export function cpuMs(pid: number | undefined): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    // utime and stime, fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
  } catch {
    return null
  }
}

/** Resident memory (KiB) of a process and all its descendants, from /proc (Linux). */
export function treeRssKiB(pid: number): number {
  const children = new Map<number, number[]>()
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      const parent = Number(stat.split(') ')[1]!.split(' ')[1])
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)])
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0
  const queue = [pid]
  while (queue.length > 0) {
    const next = queue.pop()!
    try {
      const status = fs.readFileSync(`/proc/${next}/status`, 'utf8')
      total += Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1] ?? 0)
    } catch {
      continue
    }
    queue.push(...(children.get(next) ?? []))
  }
  return total
}

/** The value at quantile q (0..1) of an ascending-sorted list. */
export const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!
