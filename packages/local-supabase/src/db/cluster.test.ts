import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closedToOthers, ephemeralRangeStart, freePort, isPortFree } from '#src/db/cluster.ts'

let root: string
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tenantbase-folders-'))
  await chmod(root, 0o755)
  await mkdir(path.join(root, 'private', 'checkout'), { recursive: true })
  await chmod(path.join(root, 'private'), 0o700)
  await mkdir(path.join(root, 'open', 'checkout'), { recursive: true })
})
afterAll(() => rm(root, { recursive: true, force: true }))

describe('folders the postgres user must reach when the stack runs as root', () => {
  it('names the first folder on the way that only its owner can enter', () => {
    expect(closedToOthers(path.join(root, 'private', 'checkout', 'node_modules'))).toBe(
      path.join(root, 'private'),
    )
  })

  it('finds none on an open path, also past folders not created yet', () => {
    expect(closedToOthers(path.join(root, 'open', 'checkout', '.tenantbase', 'db'))).toBeUndefined()
  })
})

it('hands out distinct free ports below the range the kernel gives outgoing connections', async () => {
  const ports = []
  for (let i = 0; i < 40; i++) ports.push(await freePort())
  expect(new Set(ports).size).toBe(ports.length)
  for (const port of ports) {
    expect(port).toBeGreaterThanOrEqual(10_000)
    expect(port).toBeLessThan(ephemeralRangeStart())
    expect(await isPortFree(port)).toBe(true)
  }
})
