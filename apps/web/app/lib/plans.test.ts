import { describe, expect, it } from 'vitest'
import { describeFeatures, formatAmount, memberLimit, priceUnit } from '#app/lib/plans.ts'

describe('plans in words', () => {
  it('describes limits, flags and other features', () => {
    expect(
      describeFeatures({ members: 5, units: 1, audit_log: false, sso: true, region: 'eu', x: [] }),
    ).toEqual([
      { key: 'members', label: 'Up to 5 members', included: true },
      { key: 'units', label: 'Up to 1 unit', included: true },
      { key: 'audit_log', label: 'Audit log', included: false },
      { key: 'sso', label: 'Single sign-on', included: true },
      { key: 'region', label: 'Region: eu', included: true },
    ])
    expect(describeFeatures({ api_calls: 1000 })).toEqual([
      { key: 'api_calls', label: 'Api calls: up to 1000', included: true },
    ])
    expect(describeFeatures(null)).toEqual([])
    expect(describeFeatures([1])).toEqual([])
  })

  it('reads the member limit', () => {
    expect(memberLimit({ members: 3.7 })).toBe(3)
    expect(memberLimit({ members: '3' })).toBeNull()
    expect(memberLimit({})).toBeNull()
  })

  it('formats prices', () => {
    expect(formatAmount(2900)).toBe('$29')
    expect(formatAmount(999, 'eur')).toBe('€9.99')
    expect(priceUnit('month', true)).toBe('per seat / month')
    expect(priceUnit('year', false)).toBe('per year')
    expect(priceUnit('one_time', true)).toBe('per seat, once')
  })
})
