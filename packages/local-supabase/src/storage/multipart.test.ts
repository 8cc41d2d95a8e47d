import { describe, expect, it } from 'vitest'
import { readMultipartUpload } from '#src/storage/multipart.ts'

const boundary = 'b0undary'
const MiB = 1024 * 1024

/** A form with one field and a file of `chunks` MiB, sent 1 MiB at a time; counts what was read. */
function form(chunks: number) {
  const counter = { pulled: 0 }
  async function* body() {
    yield Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="cacheControl"\r\n\r\n3600\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name=""; filename="f.bin"\r\ncontent-type: text/plain;charset=utf-8\r\n\r\n`,
    )
    for (let i = 0; i < chunks; i++) {
      counter.pulled++
      yield Buffer.alloc(MiB, i % 256)
    }
    yield Buffer.from(`\r\n--${boundary}--\r\n`)
  }
  return { body: body(), counter }
}

describe('multipart uploads', () => {
  it('reads the fields, then hands out the file only as fast as it is consumed', async () => {
    const { body, counter } = form(64)
    const upload = await readMultipartUpload(body, boundary)
    expect(upload.fields).toEqual({ cacheControl: '3600' })
    expect(upload.contentType).toBe('text/plain;charset=utf-8')
    expect(counter.pulled).toBe(0)

    let bytes = 0
    let mostAhead = 0
    for await (const chunk of upload.file) {
      bytes += chunk.length
      // What has been read from the request but not handed out stays within two chunks.
      mostAhead = Math.max(mostAhead, counter.pulled * MiB - bytes)
    }
    await upload.rest()
    expect(bytes).toBe(64 * MiB)
    expect(mostAhead).toBeLessThanOrEqual(2 * MiB)
  })

  it('keeps the bytes of a file that contains a partial boundary', async () => {
    async function* body() {
      yield Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name=""; filename="f"\r\n\r\n`,
      )
      yield Buffer.from(`a\r\n--b0und`)
      yield Buffer.from(`b\r\n--${boundary}--\r\n`)
    }
    const upload = await readMultipartUpload(body(), boundary)
    const parts: Buffer[] = []
    for await (const chunk of upload.file) parts.push(chunk)
    expect(Buffer.concat(parts).toString()).toBe('a\r\n--b0undb')
  })

  it('refuses a form without a file and a body that ends early', async () => {
    async function* noFile() {
      yield Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="x"\r\n\r\n1\r\n--${boundary}--\r\n`,
      )
    }
    await expect(readMultipartUpload(noFile(), boundary)).rejects.toMatchObject({
      message: 'Malformed multipart body: the form has no file',
    })
    async function* cut() {
      yield Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name=""; filename="f"\r\n\r\nabc`,
      )
    }
    const upload = await readMultipartUpload(cut(), boundary)
    await expect(
      (async () => {
        for await (const _ of upload.file);
      })(),
    ).rejects.toMatchObject({ message: 'Malformed multipart body: unexpected end of body' })
  })
})
