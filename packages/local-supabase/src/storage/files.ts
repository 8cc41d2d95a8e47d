import { createReadStream, createWriteStream } from 'node:fs'
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
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

/** Streams a request body to a temp file, enforcing the size limit while it flows. */
export async function writeStream(
  root: string,
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<{ temp: string; size: number }> {
  await mkdir(path.join(root, '.tmp'), { recursive: true })
  const temp = path.join(root, '.tmp', crypto.randomUUID())
  let size = 0
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length
      if (size > limit)
        done(
          new StorageError(
            413,
            'EntityTooLarge',
            'Payload too large',
            'The object exceeded the maximum allowed size',
          ),
        )
      else done(null, chunk)
    },
  })
  try {
    const source = body ? Readable.fromWeb(body as never) : Readable.from([])
    await pipeline(source, counter, createWriteStream(temp))
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  return { temp, size }
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

export async function readFileStream(target: string) {
  const info = await stat(target).catch(() => undefined)
  if (!info) return undefined
  return {
    size: info.size,
    stream: Readable.toWeb(createReadStream(target)) as ReadableStream<Uint8Array>,
  }
}
