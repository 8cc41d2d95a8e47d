import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { rotateLog } from '#src/stack/log-file.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tenantbase-log-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

it('leaves a log under the limit alone', async () => {
  const file = path.join(dir, 'small.log')
  await writeFile(file, 'a\n')
  expect(await rotateLog(file, { maxBytes: 10 })).toBe(false)
  expect(await readFile(file, 'utf8')).toBe('a\n')
})

it('rotates past the limit, keeping the newest older files', async () => {
  const file = path.join(dir, 'stack.log')
  for (const run of ['first', 'second', 'third']) {
    await writeFile(file, `${run} run\n`.repeat(4), { flag: 'a' })
    expect(await rotateLog(file, { maxBytes: 20, keep: 2 })).toBe(true)
  }
  expect(await readFile(file, 'utf8')).toBe('')
  expect(await readFile(`${file}.1`, 'utf8')).toBe('third run\n'.repeat(4))
  expect(await readFile(`${file}.2`, 'utf8')).toBe('second run\n'.repeat(4))
  await expect(readFile(`${file}.3`, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' })
})

it('does nothing when there is no log yet', async () => {
  expect(await rotateLog(path.join(dir, 'missing.log'))).toBe(false)
})
