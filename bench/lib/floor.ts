/**
 * The floor: what any webhook receiver must do at the least (node:http, the HMAC check and
 * JSON.parse, nothing stored). Run as its own process by `startFloor()`, so it gets a core of its
 * own the way Atende does; benches compare Atende's figures with it in the same run.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import { fileURLToPath } from 'node:url'
import { startProcess, type Started } from './process.js'
import { APP_SECRET } from './wire.js'

function runFloor(secret: string): void {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const expected = Buffer.from(
        'sha256=' + createHmac('sha256', secret).update(body).digest('hex'),
      )
      const given = Buffer.from(String(req.headers['x-hub-signature-256'] ?? ''))
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401).end()
        return
      }
      try {
        JSON.parse(body.toString('utf8'))
      } catch {
        res.writeHead(400).end()
        return
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('EVENT_RECEIVED')
    })
  })
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`floor listening on ${(server.address() as { port: number }).port}\n`)
  })
}

/** Starts the floor in a child process, checking signatures made with the benches' APP_SECRET. */
export function startFloor(): Promise<Started> {
  return startProcess(
    ['--conditions=source', '--import', 'tsx', fileURLToPath(import.meta.url)],
    { FLOOR_APP_SECRET: APP_SECRET },
    /floor listening on (\d+)/,
  )
}

if (process.argv[1] === fileURLToPath(import.meta.url)) runFloor(process.env.FLOOR_APP_SECRET!)
