import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'smol-toml'
import { PORT_VARIABLES, type PortName, stackEnv } from '#src/env.ts'
import { repoRoot } from '#src/repo-root.ts'

export type StackPorts = Record<PortName, number>

/** Where a port is set: the place a message tells the user to change it. */
export type PortSetting = { port: number; setIn: string }

const CONFIG_KEYS: Record<PortName, [section: string, key: string, fallback: number]> = {
  api: ['api', 'port', 54321],
  db: ['db', 'port', 54322],
  mail: ['inbucket', 'port', 54324],
  smtp: ['inbucket', 'smtp_port', 54325],
}

export const PORT_LABELS: Record<PortName, string> = {
  api: 'API gateway (Auth, REST, Storage)',
  db: 'database (PostgreSQL)',
  mail: 'mail catcher web page',
  smtp: 'mail catcher SMTP',
}

/**
 * The ports of supabase/config.toml, so the local stack and `supabase start` agree; each can be
 * overridden by its TENANTBASE_*_PORT variable (a second checkout, tests on free ports).
 */
export async function stackPortSettings(): Promise<Record<PortName, PortSetting>> {
  const env = stackEnv()
  const text = await readFile(path.join(repoRoot(), 'supabase', 'config.toml'), 'utf8').catch(
    () => '',
  )
  const config = (text ? parse(text) : {}) as Record<string, Record<string, unknown> | undefined>
  const settings = {} as Record<PortName, PortSetting>
  for (const [name, [section, key, fallback]] of Object.entries(CONFIG_KEYS) as [
    PortName,
    [string, string, number],
  ][]) {
    const fromEnv = env.ports[name]
    const fromConfig = config[section]?.[key]
    settings[name] =
      fromEnv !== undefined
        ? { port: fromEnv, setIn: PORT_VARIABLES[name] }
        : {
            port: typeof fromConfig === 'number' ? fromConfig : fallback,
            setIn: `[${section}] ${key} in supabase/config.toml`,
          }
  }
  return settings
}

export async function stackPorts(): Promise<StackPorts> {
  const settings = await stackPortSettings()
  return {
    api: settings.api.port,
    db: settings.db.port,
    mail: settings.mail.port,
    smtp: settings.smtp.port,
  }
}
