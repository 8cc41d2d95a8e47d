// Uploads a file to the storage API and downloads it again, streaming both ways with one chunk
// per pull; run as its own process so the gateway's memory can be measured alone.
import { open } from 'node:fs/promises'

const [apiUrl, key, file, name] = process.argv.slice(2) as [string, string, string, string]
const headers = { authorization: `Bearer ${key}`, apikey: key }
const handle = await open(file, 'r')
let position = 0
const body = new ReadableStream<Uint8Array>(
  {
    async pull(controller) {
      const buffer = Buffer.alloc(256 * 1024)
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position)
      if (bytesRead === 0) {
        controller.close()
        await handle.close()
        return
      }
      position += bytesRead
      controller.enqueue(buffer.subarray(0, bytesRead))
    },
  },
  { highWaterMark: 1 },
)
const up = await fetch(`${apiUrl}/storage/v1/object/bench/${name}`, {
  method: 'POST',
  headers: { ...headers, 'content-type': 'application/octet-stream', 'x-upsert': 'true' },
  body,
  duplex: 'half',
} as RequestInit)
if (!up.ok) throw new Error(`upload failed: ${up.status} ${await up.text()}`)
const down = await fetch(`${apiUrl}/storage/v1/object/bench/${name}`, { headers })
const reader = down.body?.getReader()
let received = 0
for (;;) {
  const chunk = await reader?.read()
  if (!chunk || chunk.done) break
  received += chunk.value.length
}
if (received !== position) throw new Error(`downloaded ${received} bytes of ${position}`)
