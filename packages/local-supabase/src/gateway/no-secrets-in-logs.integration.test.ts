import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { repoRoot } from '#src/repo-root.ts'
import { createTestStack, type TestStack } from '#src/testing/index.ts'

let stack: TestStack
beforeAll(async () => {
  stack = await createTestStack()
  await stack.db.createUser({ email: 'quiet@example.com', password: 'password123' })
})
afterAll(() => stack.close())

it('never writes bearer tokens or passwords to the logs', async () => {
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
    vi.spyOn(console, m),
  )
  const client = stack.client()
  const { data } = await client.auth.signInWithPassword({
    email: 'quiet@example.com',
    password: 'password123',
  })
  await client.rpc('nope')
  await client.from('nope').select('*')
  await client.storage.from('nope').download('x')
  const logged = JSON.stringify(spies.flatMap((spy) => spy.mock.calls))
  for (const spy of spies) spy.mockRestore()
  expect(logged).not.toContain(data.session?.access_token as string)
  expect(logged).not.toContain(data.session?.refresh_token as string)
  expect(logged).not.toContain('password123')
})

it('commits no keys but the well-known local development ones', async () => {
  const files = execFileSync('git', ['ls-files'], { cwd: repoRoot(), encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
  const offenders: string[] = []
  for (const file of files) {
    if (/\.(png|jpg|ico|lock|yaml)$/.test(file)) continue
    const text = await readFile(path.join(repoRoot(), file), 'utf8').catch(() => '')
    if (
      /sk_live_[A-Za-z0-9]{8,}|whsec_[A-Za-z0-9]{20,}|-----BEGIN (RSA |EC )?PRIVATE KEY-----|AKIA[0-9A-Z]{16}/.test(
        text,
      )
    ) {
      offenders.push(file)
    }
  }
  expect(offenders).toEqual([])
})
