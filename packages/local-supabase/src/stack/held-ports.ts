import net from 'node:net'
import type { PortName } from '#src/env.ts'
import { LocalStackError } from '#src/errors.ts'
import { PORT_LABELS } from '#src/stack/ports.ts'

/** Service ports bound before the stack starts, until its servers take them over. */
export type HeldPorts<K extends PortName> = {
  /** The port's bound listener, for `server.listen(listener)`: from then on it is the server's. */
  take(name: K): net.Server
  /** Closes the ports no server took (the start failed before the services ran). */
  release(): Promise<void>
}

/**
 * Binds the service ports before PostgreSQL starts. Starting the stack connects to PostgreSQL
 * over loopback many times, and the kernel gives each connection a local port from its
 * ephemeral range (32768–60999 on Linux), which holds 54321–54325. A connection that got 54324
 * would keep the mail catcher from binding it while it lives and for the minute of TIME_WAIT
 * after it: "address already in use" for a port the check had just found free. The kernel never
 * gives a connection a port that a socket has bound, so the ports are bound first and handed to
 * the servers. Connections that arrive meanwhile are closed at once.
 */
export async function holdPorts<K extends PortName>(
  ports: Record<K, number>,
  host = '127.0.0.1',
): Promise<HeldPorts<K>> {
  const held = new Map<K, net.Server>()
  const release = async () => {
    const left = [...held.values()]
    held.clear()
    await Promise.all(left.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
  }
  for (const [name, port] of Object.entries(ports) as [K, number][]) {
    const listener = net.createServer((socket) => socket.destroy())
    try {
      await new Promise<void>((resolve, reject) => {
        listener.once('error', reject)
        listener.listen(port, host, () => resolve())
      })
    } catch (error) {
      await release()
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
      throw new LocalStackError(
        'port_in_use',
        `Port ${port} for the ${PORT_LABELS[name]} is already in use by another program.\nFix: stop that program, or give the stack another port (README, "Where each port, key and setting lives").`,
      )
    }
    held.set(name, listener)
  }
  return {
    take(name) {
      const listener = held.get(name)
      if (!listener) throw new Error(`The ${PORT_LABELS[name]} port is not held.`)
      held.delete(name)
      return listener
    },
    release,
  }
}
