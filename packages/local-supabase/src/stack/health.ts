import { runningPostmaster } from '#src/db/postmaster.ts'
import { isAlive } from '#src/processes.ts'
import type { StackPaths } from '#src/stack/paths.ts'
import { httpGet, probePostgres } from '#src/stack/probes.ts'
import { readState, type StackState } from '#src/stack/state.ts'

const PROBE_TIMEOUT_MS = 1_000

export type Part = { name: string; where: string; up: boolean; problem?: string }

/** What is running of the stack of one home, checked part by part. */
export type Inspection =
  | { kind: 'none'; orphanDbPid?: number }
  | { kind: 'starting'; state: StackState }
  | { kind: 'stopped'; state: StackState; orphanDbPid?: number }
  | { kind: 'running'; state: StackState; parts: Part[] }

export async function inspectStack(paths: StackPaths): Promise<Inspection> {
  const state = readState(paths.stateFile)
  const orphanDbPid = () => runningPostmaster(paths.dataDir)?.pid
  if (!state) return { kind: 'none', orphanDbPid: orphanDbPid() }
  if (!isAlive(state.pid)) return { kind: 'stopped', state, orphanDbPid: orphanDbPid() }
  if (!state.status) return state.error ? { kind: 'stopped', state } : { kind: 'starting', state }
  return { kind: 'running', state, parts: await checkParts(state) }
}

/** Every part of a running stack, probed at once (a healthy stack answers in milliseconds). */
async function checkParts(state: StackState): Promise<Part[]> {
  const ports = state.ports
  const dbHost = state.db_host ?? '127.0.0.1'
  const dbPort = state.db_port ?? ports?.db ?? 0
  const [db, gateway, mail] = await Promise.all([
    probePostgres(dbHost, dbPort, PROBE_TIMEOUT_MS),
    ports ? httpGet(ports.api, '/auth/v1/health', PROBE_TIMEOUT_MS) : undefined,
    // An HTTP answer, not just a TCP accept: the kernel accepts for a stopped process too.
    ports ? httpGet(ports.mail, '/', PROBE_TIMEOUT_MS).then((r) => r !== undefined) : false,
  ])
  return [
    {
      name: 'database',
      where: `${dbHost}:${dbPort}${state.database === 'external' ? ' (TENANTBASE_DATABASE_URL)' : ''}`,
      up: db === 'up',
      problem: db === 'refused' ? 'connection refused' : db === 'up' ? undefined : 'no answer',
    },
    {
      name: 'API gateway',
      where: state.status?.api_url ?? `port ${ports?.api}`,
      up: gateway?.status === 200,
      problem:
        gateway?.status === 200 ? undefined : gateway ? `answered ${gateway.status}` : 'no answer',
    },
    {
      name: 'mail catcher',
      where: state.status?.mail_url ?? `port ${ports?.mail}`,
      up: mail,
      problem: mail ? undefined : 'no answer',
    },
  ]
}

/**
 * What `stack:status` says when the stack is not fully up: which part is down and the command
 * that fixes it. Undefined for a healthy stack.
 */
export function describeProblem(found: Inspection, paths: StackPaths): string | undefined {
  switch (found.kind) {
    case 'none':
      return found.orphanDbPid
        ? `No local stack is running, but PostgreSQL (pid ${found.orphanDbPid}) still runs on ${paths.dataDir}.\nFix: \`pnpm stack:start\` stops it and starts the stack; \`pnpm stack:stop\` only stops it.`
        : 'No local stack is running. Start it with `pnpm stack:start`.'
    case 'starting':
      return `The local stack is starting (pid ${found.state.pid}). Run \`pnpm stack:status\` again in a moment.`
    case 'stopped': {
      if (found.state.error) {
        return `The local stack stopped: ${found.state.error}\nFix: \`pnpm stack:start\` (the log is ${paths.logFile}).`
      }
      const orphan = found.orphanDbPid
        ? `, but PostgreSQL (pid ${found.orphanDbPid}) still runs on ${paths.dataDir}`
        : ''
      return `The local stack is not running: its process (pid ${found.state.pid}) is gone${orphan}.\nFix: \`pnpm stack:start\`${found.orphanDbPid ? ' stops it and starts the stack again' : ''}.`
    }
    case 'running': {
      const down = found.parts.filter((part) => !part.up)
      if (down.length === 0) return undefined
      const width = Math.max(...found.parts.map((part) => part.name.length))
      const rows = found.parts.map(
        (part) =>
          `  ${part.name.padEnd(width)}  ${part.up ? 'up  ' : 'DOWN'}  ${part.where}${part.problem ? ` (${part.problem})` : ''}`,
      )
      const externalDown =
        found.state.database === 'external' && down.every((p) => p.name === 'database')
      const fix = externalDown
        ? `Fix: start the server TENANTBASE_DATABASE_URL points at (${found.parts[0]?.where.split(' ')[0]}).`
        : 'Fix: `pnpm stack:start` restarts the parts that are down.'
      return `The local stack (pid ${found.state.pid}) is running, but not every part answers:\n${rows.join('\n')}\n${fix}`
    }
  }
}
