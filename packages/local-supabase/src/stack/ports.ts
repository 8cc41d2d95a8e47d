import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'smol-toml'
import { repoRoot } from '#src/repo-root.ts'

export type StackPorts = { api: number; db: number; mail: number; smtp: number }

/** The ports of supabase/config.toml, so the local stack and `supabase start` agree. */
export async function stackPorts(): Promise<StackPorts> {
  const text = await readFile(path.join(repoRoot(), 'supabase', 'config.toml'), 'utf8').catch(
    () => '',
  )
  const config = (text ? parse(text) : {}) as Record<string, Record<string, unknown> | undefined>
  const port = (section: string, key: string, fallback: number) => {
    const value = config[section]?.[key]
    return typeof value === 'number' ? value : fallback
  }
  return {
    api: port('api', 'port', 54321),
    db: port('db', 'port', 54322),
    mail: port('inbucket', 'port', 54324),
    smtp: port('inbucket', 'smtp_port', 54325),
  }
}
