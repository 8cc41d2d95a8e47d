import { StorageError } from '#src/storage/errors.ts'

/**
 * A streaming multipart/form-data reader for uploads: the text fields before the file are
 * read (bounded), then the file part is handed out chunk by chunk as the request is read, so
 * a file is never held in memory and the socket is only read as fast as the disk takes it.
 * Like Storage (fastify-multipart's request.file()), the first file part is the upload and
 * only the fields sent before it count.
 */
const MAX_FIELD_BYTES = 64 * 1024
const MAX_HEADER_BYTES = 16 * 1024

export type MultipartUpload = {
  fields: Record<string, string>
  /** The file part's Content-Type, parameters included. */
  contentType: string | undefined
  /** The file's bytes, pulled from the request as they are consumed. */
  file: AsyncIterable<Buffer>
  /** Reads and drops whatever follows the file (closing boundary, later parts). */
  rest(): Promise<void>
}

const malformed = (message: string) =>
  new StorageError(400, 'InvalidRequest', 'Bad Request', `Malformed multipart body: ${message}`)

export function multipartBoundary(contentType: string): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  return match?.[1] ?? match?.[2]
}

export async function readMultipartUpload(
  source: AsyncIterable<Buffer | Uint8Array>,
  boundary: string,
): Promise<MultipartUpload> {
  const iterator = source[Symbol.asyncIterator]()
  const delimiter = Buffer.from(`\r\n--${boundary}`)
  // The body starts with "--boundary": prefix a CRLF so every boundary looks the same.
  let buffer = Buffer.from('\r\n')
  let ended = false
  const fill = async () => {
    if (ended) return false
    const next = await iterator.next()
    if (next.done) {
      ended = true
      return false
    }
    buffer = buffer.length
      ? Buffer.concat([buffer, Buffer.from(next.value)])
      : Buffer.from(next.value)
    return true
  }
  /** Consumes up to and including the next delimiter; returns what preceded it (bounded). */
  const until = async (max: number): Promise<Buffer> => {
    for (;;) {
      const at = buffer.indexOf(delimiter)
      if (at >= 0) {
        const before = buffer.subarray(0, at)
        buffer = buffer.subarray(at + delimiter.length)
        return before
      }
      if (buffer.length > max + delimiter.length) throw malformed('field too large')
      if (!(await fill())) throw malformed('unexpected end of body')
    }
  }
  /** After a delimiter: "--" ends the body, CRLF starts a part. */
  const afterDelimiter = async (): Promise<'part' | 'end'> => {
    while (buffer.length < 2) if (!(await fill())) throw malformed('unexpected end of body')
    const mark = buffer.subarray(0, 2).toString('latin1')
    buffer = buffer.subarray(2)
    if (mark === '--') return 'end'
    if (mark === '\r\n') return 'part'
    throw malformed('bad boundary')
  }
  const readHeaders = async (): Promise<Record<string, string>> => {
    for (;;) {
      const at = buffer.indexOf('\r\n\r\n')
      if (at >= 0) {
        const text = buffer.subarray(0, at).toString('utf8')
        buffer = buffer.subarray(at + 4)
        const headers: Record<string, string> = {}
        for (const line of text.split('\r\n')) {
          const colon = line.indexOf(':')
          if (colon > 0)
            headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
        }
        return headers
      }
      if (buffer.length > MAX_HEADER_BYTES) throw malformed('part headers too large')
      if (!(await fill())) throw malformed('unexpected end of body')
    }
  }

  await until(MAX_FIELD_BYTES) // preamble
  const fields: Record<string, string> = {}
  for (;;) {
    if ((await afterDelimiter()) === 'end') throw malformed('the form has no file')
    const headers = await readHeaders()
    const disposition = headers['content-disposition'] ?? ''
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? ''
    const isFile = /\bfilename\*?=/i.test(disposition) || headers['content-type'] !== undefined
    if (!isFile) {
      fields[name] = (await until(MAX_FIELD_BYTES)).toString('utf8')
      continue
    }
    let fileDone = false
    async function* file() {
      for (;;) {
        const at = buffer.indexOf(delimiter)
        if (at >= 0) {
          if (at > 0) yield buffer.subarray(0, at)
          buffer = buffer.subarray(at + delimiter.length)
          fileDone = true
          return
        }
        // Keep a tail that could be the start of the delimiter.
        const safe = buffer.length - (delimiter.length - 1)
        if (safe > 0) {
          const chunk = buffer.subarray(0, safe)
          buffer = buffer.subarray(safe)
          yield chunk
        }
        if (!(await fill())) throw malformed('unexpected end of body')
      }
    }
    return {
      fields,
      contentType: headers['content-type'],
      file: file(),
      rest: async () => {
        if (!fileDone) return
        buffer = Buffer.alloc(0)
        while (await fill()) buffer = Buffer.alloc(0)
      },
    }
  }
}
