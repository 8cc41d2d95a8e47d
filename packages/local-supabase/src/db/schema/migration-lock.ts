import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Migration } from '#src/db/migrations.ts'
import { repoRoot } from '#src/repo-root.ts'

/**
 * `supabase/migrations.sha256` records every released migration with its checksum, in
 * `sha256sum` format (`cd supabase/migrations && sha256sum -c ../migrations.sha256` checks it).
 * A deployed database never runs a migration twice, so a released file must never change.
 */
export const lockFile = () => path.join(repoRoot(), 'supabase', 'migrations.sha256')

export const checksum = (sql: string) => createHash('sha256').update(sql).digest('hex')

export async function readLock(): Promise<Map<string, string>> {
  const text = await readFile(lockFile(), 'utf8').catch(() => '')
  const lock = new Map<string, string>()
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line.trim())
    if (match?.[1] && match[2]) lock.set(match[2], match[1])
  }
  return lock
}

export async function writeLock(lock: Map<string, string>): Promise<void> {
  const lines = [...lock]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, sum]) => `${sum}  ${name}`)
  await writeFile(lockFile(), `${lines.join('\n')}\n`)
}

export type LockProblem = {
  name: string
  problem: 'edited' | 'deleted' | 'unrecorded'
  message: string
}

/** What is wrong between the migration files and the lock. */
export function checkLock(migrations: Migration[], lock: Map<string, string>): LockProblem[] {
  const problems: LockProblem[] = []
  const files = new Map(migrations.map((m) => [m.name, m.sql]))
  for (const [name, sum] of lock) {
    const sql = files.get(name)
    if (sql === undefined) {
      problems.push({
        name,
        problem: 'deleted',
        message: `supabase/migrations/${name} was released (it is in supabase/migrations.sha256) but is gone. Deployed databases ran it: restore it.`,
      })
    } else if (checksum(sql) !== sum) {
      problems.push({
        name,
        problem: 'edited',
        message: `supabase/migrations/${name} changed after it was released. Databases that ran it will never see the change: restore the file and put the change in a new migration (\`pnpm db:new <name>\`, or change the SQL packages and run \`pnpm db:generate\`). If this migration was never deployed anywhere, delete its line from supabase/migrations.sha256 and run \`pnpm db:generate\` again.`,
      })
    }
  }
  for (const name of files.keys()) {
    if (!lock.has(name)) {
      problems.push({
        name,
        problem: 'unrecorded',
        message: `supabase/migrations/${name} is not recorded in supabase/migrations.sha256: run \`pnpm db:generate\`.`,
      })
    }
  }
  return problems
}
