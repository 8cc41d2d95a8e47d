import path from 'node:path'
import { isPortFree } from '#src/db/cluster.ts'
import type { PortName } from '#src/env.ts'
import { LocalStackError } from '#src/errors.ts'
import { PORT_LABELS, type PortSetting } from '#src/stack/ports.ts'
import { httpGet } from '#src/stack/probes.ts'

/**
 * Checks the stack's ports before anything starts, so a busy port is reported with the service
 * that wanted it and the place to change it, and a stack of another checkout is named.
 */
export async function checkPortsFree(
  settings: Record<PortName, PortSetting>,
  options: { home: string; skip?: PortName[] },
): Promise<void> {
  const names = (Object.keys(settings) as PortName[]).filter((n) => !options.skip?.includes(n))
  const busy: PortName[] = []
  for (const name of names) {
    if (!(await isPortFree(settings[name].port))) busy.push(name)
  }
  if (busy.length === 0) return
  const owner = await stackOnPort(settings.api.port)
  if (owner && path.resolve(owner.home) !== path.resolve(options.home)) {
    throw new LocalStackError(
      'other_checkout_running',
      `A Tenantbase stack from another checkout (${owner.home}, pid ${owner.pid}) is running on port ${settings.api.port}${busy.length > 1 ? ` and ${busy.length - 1} more of these ports` : ''}.\nFix: stop it there with \`pnpm stack:stop\`, or give this checkout other ports (TENANTBASE_API_PORT, TENANTBASE_DB_PORT, TENANTBASE_MAIL_PORT, TENANTBASE_SMTP_PORT).`,
    )
  }
  if (owner) {
    throw new LocalStackError(
      'stack_without_state',
      `The stack of this checkout is running (pid ${owner.pid}) but its state file is gone.\nFix: stop it with \`kill ${owner.pid}\`, then run \`pnpm stack:start\`.`,
    )
  }
  if (busy.length === 1) {
    const name = busy[0] as PortName
    const { port, setIn } = settings[name]
    throw new LocalStackError(
      'port_in_use',
      `Port ${port} for the ${PORT_LABELS[name]} is already in use by another program.\nFix: stop that program, or change ${setIn}.`,
    )
  }
  throw new LocalStackError(
    'port_in_use',
    `Ports ${busy.map((n) => `${settings[n].port} (${PORT_LABELS[n]})`).join(', ')} are already in use by other programs.\nFix: stop them, or change ${busy.map((n) => settings[n].setIn).join(', ')}.`,
  )
}

/** The stack whose gateway answers on this port (its `GET /` names its home), if any. */
async function stackOnPort(port: number): Promise<{ home: string; pid: number } | undefined> {
  const response = await httpGet(port, '/', 1_000)
  if (response?.status !== 200) return undefined
  try {
    const body = JSON.parse(response.body) as { stack?: { home?: unknown; pid?: unknown } }
    const { home, pid } = body.stack ?? {}
    return typeof home === 'string' && typeof pid === 'number' ? { home, pid } : undefined
  } catch {
    return undefined
  }
}
