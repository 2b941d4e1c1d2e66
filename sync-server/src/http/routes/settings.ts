/**
 * `/api/settings`: the WhatsApp channel an admin configures on the Settings page. Admins only
 * (each route checks, rather than a `use('*')`, so that `/api/settings/read-receipts`, mounted
 * elsewhere and readable by every agent, is not shadowed).
 *
 *   GET  /                  → { whatsapp: WhatsAppSettingsView, readReceipts }
 *   PUT  /whatsapp          { accountName, displayNumber, phoneNumberId, businessAccountId,
 *                             graphApiVersion?, verifyToken, accessToken?, appSecret?,
 *                             policiesAccepted: true } → { whatsapp: WhatsAppSettingsView }
 *   POST /whatsapp/test     the same fields, all optional → { ok: true, displayPhoneNumber,
 *                             verifiedName } | { ok: false, error } (always 200)
 *
 * Secrets are write-only: the view says whether one is set and its last 4 characters, never the
 * value. On PUT a missing or empty secret keeps the saved one; it is required while no settings
 * are saved (even when the environment has one: settings are saved whole, not mixed with env).
 * A save takes effect at once, without a restart: the channel holder gets the new credentials
 * (webhook signatures, the verify token and sends all read it per use) and, in demo mode, the
 * simulator's fake customers stop (`onChannelSaved`). A demo account that still has its published
 * password blocks the save (409 `demo_passwords_in_use`): a real number's inbox must not open to it.
 */
import { Hono, type Context } from 'hono'
import * as v from 'valibot'
import type { WhatsAppConfig } from '../../config.js'
import type { Logger } from '../../log.js'
import type { AuditLog } from '../../store/audit.js'
import {
  CHANNEL_SECRETS,
  DEFAULT_GRAPH_VERSION,
  GRAPH_VERSION,
  graphVersionOf,
  normaliseDisplayNumber,
  toWhatsAppConfig,
  withGraphVersion,
  type ChannelSettings,
  type ChannelSettingsStore,
} from '../../store/channel-settings.js'
import type { SettingsStore } from '../../store/settings.js'
import type { ChannelHolder } from '../../whatsapp/channel.js'
import { createGraphClient, GraphError } from '../../whatsapp/graph.js'
import { ApiError } from '../errors.js'
import { isHttps, requireAdmin, type AuthEnv } from '../middleware/auth.js'
import { Name, readJson } from '../validate.js'

export interface SettingsRoutesOptions {
  channel: ChannelHolder
  channelSettings: ChannelSettingsStore
  /** Team settings (read receipts), shown alongside. */
  settings: SettingsStore
  /** The environment's WHATSAPP_* credentials, or null. */
  environment: WhatsAppConfig | null
  /** WHATSAPP_API_BASE: saved settings call this host, with their own Graph version. */
  graphBase: string
  audit?: AuditLog
  log: Logger
  /** After saved settings were applied to the channel (main.ts stops the simulator). */
  onChannelSaved?(config: WhatsAppConfig): void
  /**
   * Accounts that still sign in with a password published for the demo: a real number is not
   * connected while anyone could sign in with one (main.ts checks the seeded demo accounts).
   */
  demoPasswordsInUse?(): Promise<string[]>
  /** For "Test connection" (tests). */
  fetch?: typeof fetch
}

export type ChannelSource = 'settings' | 'environment' | 'simulator' | 'none'

const digits = (what: string) =>
  v.pipe(v.string('must be a string'), v.trim(), v.regex(/^\d{1,32}$/, `must be the ${what}`))
const Secret = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.maxLength(2048, 'must be at most 2048 characters'),
  v.regex(/^\S*$/, 'must not contain spaces'),
)
const ChannelFields = v.object({
  accountName: Name,
  displayNumber: v.pipe(
    v.string('must be a string'),
    v.check(
      (value) => normaliseDisplayNumber(value) !== null,
      'must be a phone number of 8 to 15 digits (area code and number)',
    ),
    v.transform((value) => normaliseDisplayNumber(value)!),
  ),
  phoneNumberId: digits('numeric phone number id'),
  businessAccountId: digits('numeric WhatsApp Business Account id'),
  graphApiVersion: v.optional(
    v.pipe(
      v.string('must be a string'),
      v.trim(),
      v.regex(GRAPH_VERSION, 'must be a Graph API version like v25.0'),
    ),
  ),
  verifyToken: v.pipe(
    v.string('must be a string'),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(200, 'must be at most 200 characters'),
    v.regex(/^\S+$/, 'must not contain spaces'),
  ),
  accessToken: v.optional(Secret),
  appSecret: v.optional(Secret),
  policiesAccepted: v.optional(v.boolean('must be true or false')),
})
const TestFields = v.partial(ChannelFields)

/** The fields compared to tell the audit log what a save changed (secrets: names only). */
const AUDITED = [
  'accountName',
  'displayNumber',
  'phoneNumberId',
  'businessAccountId',
  'graphApiVersion',
  'verifyToken',
  ...CHANNEL_SECRETS,
] as const

function secretView(value: string | undefined) {
  // Short values would be mostly given away by their last 4: show those as set only.
  return { set: Boolean(value), last4: value && value.length >= 8 ? value.slice(-4) : null }
}

/** Where Meta must POST webhooks, as this request reached us (through a proxy or not). */
function callbackUrl(c: Context): string {
  const forwarded = c.req.header('x-forwarded-host')?.split(',')[0]?.trim()
  const given = forwarded || c.req.header('host')
  const host = given && /^[A-Za-z0-9.:[\]-]+$/.test(given) ? given : new URL(c.req.url).host
  return `${isHttps(c) ? 'https' : 'http'}://${host}/webhooks/whatsapp`
}

/** A failed "Test connection", in words an admin can act on. */
function connectionProblem(err: unknown): string {
  if (!(err instanceof GraphError)) return 'WhatsApp could not be reached'
  if (err.code === 190 || err.httpStatus === 401)
    return 'WhatsApp refused the access token: it is wrong or has expired'
  if (err.code === 100 || err.code === 803 || err.httpStatus === 404)
    return 'WhatsApp does not know this phone number id, or the access token cannot use it'
  return err.readable
}

/** Mount at `/settings` behind `requireSession`. */
export function settingsRoutes(options: SettingsRoutesOptions): Hono<AuthEnv> {
  const { channel, channelSettings, settings, environment, graphBase, audit, log } = options
  const admin = requireAdmin()

  function sourceOf(saved: ChannelSettings | null): ChannelSource {
    if (channel.demo) return 'simulator'
    if (!channel.config) return 'none'
    if (saved) return 'settings'
    return environment ? 'environment' : 'none'
  }

  function view(c: Context, saved: ChannelSettings | null) {
    const source = sourceOf(saved)
    const env = source === 'environment' ? environment : null
    return {
      accountName: saved?.accountName ?? '',
      displayNumber: saved?.displayNumber ?? '',
      phoneNumberId: saved?.phoneNumberId ?? env?.phoneNumberId ?? '',
      businessAccountId: saved?.businessAccountId ?? '',
      graphApiVersion: saved?.graphApiVersion ?? graphVersionOf(env?.apiBase ?? graphBase),
      accessToken: secretView(saved?.accessToken ?? env?.accessToken),
      appSecret: secretView(saved?.appSecret ?? env?.appSecret),
      verifyToken: saved?.verifyToken ?? env?.verifyToken ?? '',
      policiesAccepted: saved !== null,
      policiesAcceptedAt: saved ? new Date(saved.policiesAcceptedAt).toISOString() : null,
      source,
      demo: channel.demo,
      callbackUrl: callbackUrl(c),
    }
  }

  return new Hono<AuthEnv>()
    .get('/', admin, (c) =>
      c.json({
        whatsapp: view(c, channelSettings.get()),
        readReceipts: settings.get('readReceipts'),
      }),
    )

    .put('/whatsapp', admin, async (c) => {
      const body = await readJson(c, ChannelFields)
      if (body.policiesAccepted !== true) {
        throw new ApiError(
          400,
          'policies_not_accepted',
          "Accept WhatsApp's Business and Commerce policies to connect the number",
        )
      }
      const exposed = (await options.demoPasswordsInUse?.()) ?? []
      if (exposed.length > 0) {
        throw new ApiError(
          409,
          'demo_passwords_in_use',
          `Give these demo accounts new passwords (or deactivate them) before connecting a real number: ${exposed.join(', ')}`,
        )
      }
      const actor = c.get('actor')
      const saved = channelSettings.get()
      const secret = (name: (typeof CHANNEL_SECRETS)[number]) => {
        const value = body[name] || saved?.[name]
        if (!value) throw new ApiError(400, 'invalid_body', `${name}: is required`)
        return value
      }
      const now = Date.now()
      const next: ChannelSettings = {
        accountName: body.accountName,
        displayNumber: body.displayNumber,
        phoneNumberId: body.phoneNumberId,
        businessAccountId: body.businessAccountId,
        graphApiVersion: body.graphApiVersion ?? saved?.graphApiVersion ?? DEFAULT_GRAPH_VERSION,
        verifyToken: body.verifyToken,
        accessToken: secret('accessToken'),
        appSecret: secret('appSecret'),
        // The first acceptance is the one kept.
        policiesAcceptedAt: saved?.policiesAcceptedAt ?? now,
        policiesAcceptedBy: saved?.policiesAcceptedBy ?? actor.id,
        updatedAt: now,
        updatedBy: actor.id,
      }
      channelSettings.save(next)
      const whatsapp = toWhatsAppConfig(next, graphBase)
      const wasDemo = channel.demo
      channel.set(whatsapp, false)
      options.onChannelSaved?.(whatsapp)

      const changed = AUDITED.filter((field) => saved?.[field] !== next[field])
      audit?.record(actor, 'settings.whatsapp', 'whatsapp', {
        changed,
        ...(saved ? {} : { policiesAccepted: true }),
      })
      log.info('WhatsApp settings saved', { by: actor.id, changed, leftDemo: wasDemo })
      return c.json({ whatsapp: view(c, next) })
    })

    .post('/whatsapp/test', admin, async (c) => {
      const body = (await c.req.text()).trim() ? await readJson(c, TestFields) : {}
      // What is not given comes from the saved settings, then from the channel in force.
      const saved = channelSettings.get()
      const base = saved ? toWhatsAppConfig(saved, graphBase) : channel.config
      const accessToken = body.accessToken || base?.accessToken
      const phoneNumberId = body.phoneNumberId ?? base?.phoneNumberId
      if (!accessToken || !phoneNumberId) {
        return c.json({ ok: false, error: 'Enter the phone number id and the access token first' })
      }
      const apiBase = body.graphApiVersion
        ? withGraphVersion(graphBase, body.graphApiVersion)
        : (base?.apiBase ?? withGraphVersion(graphBase, DEFAULT_GRAPH_VERSION))
      const client = createGraphClient({
        config: { apiBase, accessToken, phoneNumberId },
        fetch: options.fetch,
        timeoutMs: 10_000,
      })
      try {
        const found = await client.check()
        return c.json({
          ok: true,
          displayPhoneNumber: found.displayPhoneNumber ?? null,
          verifiedName: found.verifiedName ?? null,
        })
      } catch (err) {
        log.info('WhatsApp connection test failed', {
          by: c.get('actor').id,
          code: err instanceof GraphError ? err.code : null,
        })
        return c.json({ ok: false, error: connectionProblem(err) })
      }
    })
}
