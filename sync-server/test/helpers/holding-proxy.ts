/**
 * A proxy in front of the fake Graph API that can hold an answer: `hold(match)` keeps the next
 * request `match` picks waiting (after Meta answered it) until the test releases it, to play a
 * call in flight while something else happens. Point the server's WHATSAPP_API_BASE at `apiBase`.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface HeldAnswer {
  /** Meta's answer, already received. */
  body: Buffer
  release(): void
}

export interface HoldingProxy {
  apiBase: string
  hold(match: (method: string, url: string) => boolean): Promise<HeldAnswer>
  /** Holds the next send; resolves with the wamid Meta gave it. */
  holdNextSend(): Promise<{ wamid: string; release(): void }>
  close(): Promise<void>
}

export async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  const targetUrl = new URL(target)
  const holds: Array<{
    match(method: string, url: string): boolean
    resolve(h: HeldAnswer): void
  }> = []
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const headers = { ...req.headers } as Record<string, string>
    delete headers.host
    delete headers['content-length']
    const upstream = await fetch(`${targetUrl.origin}${req.url}`, {
      method: req.method,
      headers,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    })
    const body = Buffer.from(await upstream.arrayBuffer())
    const index = holds.findIndex((hold) => hold.match(req.method ?? 'GET', req.url ?? ''))
    if (index >= 0) {
      const [hold] = holds.splice(index, 1)
      await new Promise<void>((release) => hold!.resolve({ release, body }))
    }
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
    })
    res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const hold: HoldingProxy['hold'] = (match) =>
    new Promise<HeldAnswer>((resolve) => holds.push({ match, resolve }))
  return {
    apiBase: `http://127.0.0.1:${port}${targetUrl.pathname}`,
    hold,
    async holdNextSend() {
      const { body, release } = await hold(
        (method, url) => method === 'POST' && url.endsWith('/messages'),
      )
      const answer = JSON.parse(body.toString()) as { messages?: Array<{ id: string }> }
      return { wamid: answer.messages?.[0]?.id ?? '', release }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
