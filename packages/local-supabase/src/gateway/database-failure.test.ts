import { describe, expect, it } from 'vitest'
import {
  authDatabaseFailure,
  classifyDatabaseFailure,
  restDatabaseFailure,
  storageDatabaseFailure,
} from '#src/gateway/database-failure.ts'

const errno = (code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`connect ${code}`), { code, ...extra })
const sqlstate = (code: string, message: string) => Object.assign(new Error(message), { code })

describe('classifyDatabaseFailure', () => {
  it('tells a connection that could not be opened', () => {
    expect(
      classifyDatabaseFailure(errno('ECONNREFUSED', { address: '127.0.0.1', port: 5 })),
    ).toEqual({
      kind: 'connect',
      detail:
        'connection to server at "127.0.0.1", port 5 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?',
    })
    expect(classifyDatabaseFailure(errno('ENOTFOUND'))?.kind).toBe('connect')
    expect(
      classifyDatabaseFailure(sqlstate('57P03', 'the database system is starting up')),
    ).toEqual({
      kind: 'connect',
      detail: 'the database system is starting up',
    })
    expect(
      classifyDatabaseFailure(sqlstate('53300', 'sorry, too many clients already'))?.kind,
    ).toBe('connect')
    expect(
      classifyDatabaseFailure(new Error('Connection terminated due to connection timeout')),
    ).toEqual({ kind: 'connect', detail: 'timeout expired' })
  })

  it('tells a connection lost mid-request', () => {
    expect(classifyDatabaseFailure(new Error('Connection terminated unexpectedly'))?.kind).toBe(
      'lost',
    )
    expect(classifyDatabaseFailure(errno('ECONNRESET'))?.kind).toBe('lost')
    expect(
      classifyDatabaseFailure(
        new Error('Client has encountered a connection error and is not queryable'),
      )?.kind,
    ).toBe('lost')
  })

  it('tells a pool that gave up and a server that ended the session', () => {
    expect(
      classifyDatabaseFailure(new Error('timeout exceeded when trying to connect'))?.kind,
    ).toBe('pool_timeout')
    expect(
      classifyDatabaseFailure(
        sqlstate('57P01', 'terminating connection due to administrator command'),
      )?.kind,
    ).toBe('shutdown')
  })

  it('leaves errors of the request alone', () => {
    expect(classifyDatabaseFailure(sqlstate('23505', 'duplicate key'))).toBeUndefined()
    expect(classifyDatabaseFailure(sqlstate('P0001', 'Missing permission'))).toBeUndefined()
    expect(classifyDatabaseFailure(sqlstate('42501', 'permission denied'))).toBeUndefined()
    expect(classifyDatabaseFailure(new Error('boom'))).toBeUndefined()
    expect(classifyDatabaseFailure('text')).toBeUndefined()
  })
})

describe("each service's answer", () => {
  it("is PostgREST's for REST", () => {
    expect(restDatabaseFailure(new Error('Connection terminated unexpectedly'))).toEqual({
      status: 503,
      code: 'PGRST001',
      message: 'Database client error. Retrying the connection.',
      details:
        'server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.',
    })
    expect(restDatabaseFailure(new Error('timeout exceeded when trying to connect'))).toEqual({
      status: 504,
      code: 'PGRST003',
      message: 'Timed out acquiring connection from connection pool.',
      details: null,
    })
    // A session the server ended keeps its SQLSTATE: PostgREST maps 57P01 to 503 itself.
    expect(restDatabaseFailure(sqlstate('57P01', 'terminating connection'))).toBeUndefined()
  })

  it("is GoTrue's and Storage's 500 for Auth and Storage", () => {
    const down = sqlstate('57P01', 'terminating connection due to administrator command')
    expect(authDatabaseFailure(down)).toEqual({
      status: 500,
      code: 'unexpected_failure',
      message: 'Unexpected failure, please check server logs for more information',
    })
    expect(storageDatabaseFailure(errno('ECONNREFUSED'))).toEqual({
      statusCode: 500,
      code: 'InternalError',
      error: 'Internal',
      message: 'Internal Server Error',
    })
    expect(authDatabaseFailure(sqlstate('23505', 'duplicate'))).toBeUndefined()
  })
})
