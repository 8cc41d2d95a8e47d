import { createWriteStream } from 'node:fs'
import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { invalidKey, StorageError } from '#src/storage/errors.ts'

/** Object names as Storage accepts them; anything that could escape the bucket folder is refused. */
export function checkKey(name: string): string {
  const decoded = name
  if (
    !decoded ||
    decoded.length > 1024 ||
    decoded.startsWith('/') ||
    decoded.split('/').some((part) => part === '' || part === '.' || part === '..') ||
    [...decoded].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '\\')
  ) {
    throw invalidKey(name)
  }
  return decoded
}

export const filePath = (root: string, bucket: string, name: string) =>
  path.join(
    root,
    encodeURIComponent(bucket),
    ...name.split('/').map((part) => encodeURIComponent(part)),
  )

/**
 * Streams a request body to a temp file with backpressure, enforcing the size limit while it
 * flows. Past the limit the rest of the body is read and dropped (up to a bound), so the client
 * gets the 413 answer instead of a reset connection.
 */
export async function writeStream(
  root: string,
  body: ReadableStream<Uint8Array> | Readable | null,
  limit: number,
): Promise<{ temp: string; size: number }> {
  await mkdir(path.join(root, '.tmp'), { recursive: true })
  const temp = path.join(root, '.tmp', crypto.randomUUID())
  const source = !body
    ? Readable.from([])
    : body instanceof Readable
      ? body
      : Readable.fromWeb(body as never)
  const out = createWriteStream(temp)
  let size = 0
  try {
    await new Promise<void>((resolve, reject) => {
      let tooLarge = false
      source.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > limit) {
          if (!tooLarge) {
            tooLarge = true
            out.destroy()
          }
          // Drop the rest; give up on clients that keep sending far beyond the limit.
          if (size > limit + DRAIN_LIMIT) source.destroy()
          return
        }
        if (!out.write(chunk)) {
          source.pause()
          out.once('drain', () => source.resume())
        }
      })
      source.once('end', () => {
        if (tooLarge) reject(tooLargeError())
        else out.end(() => resolve())
      })
      source.once('error', (error) => reject(tooLarge ? tooLargeError() : error))
      source.once('close', () => {
        if (tooLarge) reject(tooLargeError())
      })
      out.once('error', (error) => {
        if (!tooLarge) reject(error)
      })
    })
  } catch (error) {
    out.destroy()
    await rm(temp, { force: true })
    throw error
  }
  return { temp, size }
}

const DRAIN_LIMIT = 64 * 1024 * 1024
const tooLargeError = () =>
  new StorageError(
    413,
    'EntityTooLarge',
    'Payload too large',
    'The object exceeded the maximum allowed size',
  )

/** Reads and drops what is left of a request body, so an early answer reaches the client. */
export async function drainBody(body: ReadableStream<Uint8Array> | Readable | null): Promise<void> {
  if (!body) return
  if (body instanceof Readable) {
    if (body.readableEnded || body.destroyed) return
    await new Promise<void>((resolve) => {
      let seen = 0
      body.on('data', (chunk: Buffer) => {
        seen += chunk.length
        if (seen > DRAIN_LIMIT) body.destroy()
      })
      body.once('end', resolve)
      body.once('close', resolve)
      body.once('error', () => resolve())
      body.resume()
    })
    return
  }
  if (body.locked) return
  const reader = body.getReader()
  let seen = 0
  try {
    while (seen <= DRAIN_LIMIT) {
      const { done, value } = await reader.read()
      if (done) return
      seen += value.length
    }
    await reader.cancel()
  } catch {}
}

export async function commitFile(temp: string, target: string) {
  await mkdir(path.dirname(target), { recursive: true })
  await rename(temp, target)
}

export async function moveFile(from: string, to: string) {
  await mkdir(path.dirname(to), { recursive: true })
  await rename(from, to)
}

export async function duplicateFile(from: string, to: string) {
  await mkdir(path.dirname(to), { recursive: true })
  await copyFile(from, to)
}

export async function removeFile(target: string) {
  await rm(target, { force: true })
}

/**
 * A file as a web stream that reads one chunk per pull, so a slow client holds back the disk
 * reads (Readable.toWeb counts chunks against a byte-sized high-water mark and would queue the
 * whole file).
 */
export async function readFileStream(target: string) {
  const info = await stat(target).catch(() => undefined)
  if (!info) return undefined
  const handle = await open(target, 'r')
  let position = 0
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const buffer = Buffer.alloc(256 * 1024)
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, position)
          if (bytesRead === 0) {
            controller.close()
            await handle.close()
            return
          }
          position += bytesRead
          controller.enqueue(buffer.subarray(0, bytesRead))
        } catch (error) {
          controller.error(error)
          await handle.close().catch(() => undefined)
        }
      },
      async cancel() {
        await handle.close()
      },
    },
    { highWaterMark: 1 },
  )
  return { size: info.size, stream }
}
