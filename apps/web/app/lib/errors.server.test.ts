import { RpcError } from '@tenantbase/schemas/rpc-error'
import { describe, expect, it } from 'vitest'
import { describeError } from '#app/lib/errors.server.ts'

describe('describeError', () => {
  it.each([
    ['42501', 403],
    ['22023', 400],
    ['P0001', 400],
    ['23505', 409],
    ['P0002', 404],
    ['PT404', 404],
  ])('maps SQLSTATE %s to %i with the database sentence', (code, status) => {
    expect(describeError(new RpcError(code, 'What the database said'))).toEqual({
      status,
      message: 'What the database said',
    })
  })

  it('rethrows what it cannot explain, so it becomes a 500', () => {
    const unexpected = new RpcError('PGRST202', 'Could not find the function')
    expect(() => describeError(unexpected)).toThrow(unexpected)
    const bug = new TypeError('x is undefined')
    expect(() => describeError(bug)).toThrow(bug)
  })
})
