import { afterEach, describe, expect, it, vi } from 'vitest'
import { createVerifiedTokens } from '#src/gateway/verified-tokens.ts'

describe('verified tokens', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('forgets a token at its exp and keeps none without asking', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
    const now = Math.floor(Date.now() / 1000)
    const tokens = createVerifiedTokens()
    expect(tokens.get('a')).toBeUndefined()
    tokens.remember('a', { sub: 'a', exp: now + 1 })
    tokens.remember('forever', { sub: 'f' })
    expect(tokens.get('a')).toEqual({ sub: 'a', exp: now + 1 })
    vi.setSystemTime(new Date('2030-01-01T00:00:01Z'))
    expect(tokens.get('a')).toBeUndefined()
    vi.setSystemTime(new Date('2029-01-01T00:00:00Z'))
    // Forgotten, not merely hidden: the clock going back does not bring it back.
    expect(tokens.get('a')).toBeUndefined()
    expect(tokens.get('forever')).toEqual({ sub: 'f' })
  })

  it('holds at most its bound, dropping the oldest first', () => {
    const tokens = createVerifiedTokens(2)
    tokens.remember('1', { sub: '1' })
    tokens.remember('2', { sub: '2' })
    tokens.remember('3', { sub: '3' })
    expect([tokens.get('1'), tokens.get('2'), tokens.get('3')]).toEqual([
      undefined,
      { sub: '2' },
      { sub: '3' },
    ])
  })
})
