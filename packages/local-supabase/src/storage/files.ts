import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
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
 * Writes a stream of chunks (a raw request body, or the file part of a multipart form) to a
 * temp file. Each chunk is pulled only once the previous one is on its way to disk, so the
 * socket is read no faster than the disk takes it. Past the limit the rest is read and dropped,
 * so the client gets the 413 answer instead of a reset connection.
 */
export async function writeChunks(
  root: string,
  chunks: AsyncIterable<Uint8Array>,
  limit: number,
): Promise<{ temp: string; size: number }> {
  await mkdir(path.join(root, '.tmp'), { recursive: true })
  const temp = path.join(root, '.tmp', crypto.randomUUID())
  const out = createWriteStream(temp)
  let size = 0
  let tooLarge = false
  try {
    for await (const chunk of chunks) {
      size += chunk.length
      if (size > limit) {
        if (!tooLarge) {
          tooLarge = true
          out.destroy()
        }
        continue
      }
      if (!out.write(chunk)) await once(out, 'drain')
    }
    if (tooLarge) throw tooLargeError()
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    )
  } catch (error) {
    out.destroy()
    await rm(temp, { force: true })
    throw error
  }
  return { temp, size }
}

export const tooLargeError = () =>
  new StorageError(
    413,
    'EntityTooLarge',
    'Payload too large',
    'The object exceeded the maximum allowed size',
  )

/** Reads and drops the rest of an iterator (a request body), up to a generous bound. */
export async function drainIterator(iterator: AsyncIterator<Uint8Array>): Promise<void> {
  let seen = 0
  try {
    while (seen <= DRAIN_LIMIT) {
      const next = await iterator.next()
      if (next.done) return
      seen += next.value.length
    }
  } catch {}
}

// A client that keeps sending this far past the limit is cut off; anything less is read to the
// end so it sees the answer.
const DRAIN_LIMIT = 16 * 1024 * 1024 * 1024

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
