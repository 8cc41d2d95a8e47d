import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import { expect, it } from 'vitest'
import { freePort, isPortFree } from '#src/db/cluster.ts'
import { holdPorts } from '#src/stack/held-ports.ts'
import { launchStack } from '#src/stack/launch.ts'

/** How a connection to the port ends within two seconds: closed by the server, or still open. */
function connectionOutcome(port: number): Promise<'closed' | 'open' | 'refused'> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    const timer = setTimeout(() => {
      socket.destroy()
      resolve('open')
    }, 2_000)
    const done = (outcome: 'closed' | 'refused') => {
      clearTimeout(timer)
      resolve(outcome)
    }
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' ? 'refused' : 'closed'),
    )
    socket.once('close', () => done('closed'))
  })
}

const get = async (port: number) => (await fetch(`http://127.0.0.1:${port}/`)).text()

it('binds every port, closes connections that come meanwhile, and hands each to its server', async () => {
  const ports = { api: await freePort(), mail: await freePort(), smtp: await freePort() }
  const held = await holdPorts(ports)
  for (const port of Object.values(ports)) expect(await isPortFree(port)).toBe(false)
  expect(await connectionOutcome(ports.api)).toBe('closed')

  const server = http.createServer((_request, response) => response.end('served'))
  await new Promise<void>((resolve) => server.listen(held.take('api'), resolve))
  expect(await get(ports.api)).toBe('served')
  expect(() => held.take('api')).toThrow('The API gateway (Auth, REST, Storage) port is not held.')

  // Release frees the ports nobody took; the taken one stays with its server.
  await held.release()
  expect(await isPortFree(ports.mail)).toBe(true)
  expect(await isPortFree(ports.smtp)).toBe(true)
  expect(await get(ports.api)).toBe('served')
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  expect(await connectionOutcome(ports.api)).toBe('refused')
})

it('names the service of a busy port, and keeps none of the others bound', async () => {
  const other = net.createServer()
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
  const busy = (other.address() as net.AddressInfo).port
  const ports = { api: await freePort(), mail: busy, smtp: await freePort() }
  await expect(holdPorts(ports)).rejects.toMatchObject({
    code: 'port_in_use',
    message: `Port ${busy} for the mail catcher web page is already in use by another program.\nFix: stop that program, or give the stack another port (README, "Where each port, key and setting lives").`,
  })
  expect(await isPortFree(ports.api)).toBe(true)
  expect(await isPortFree(ports.smtp)).toBe(true)
  await new Promise((resolve) => other.close(resolve))
})

it('leaves the ports free when the stack does not start', async () => {
  const ports = {
    api: await freePort(),
    db: await freePort(),
    mail: await freePort(),
    smtp: await freePort(),
  }
  await expect(
    launchStack({
      ports,
      storageDir: os.tmpdir(),
      dataDir: os.tmpdir(),
      persistent: false,
      // Nothing listens there: the start fails after the ports were bound.
      databaseUrl: `postgresql://postgres:postgres@127.0.0.1:${ports.db}/postgres`,
    }),
  ).rejects.toMatchObject({ code: 'external_database_unreachable' })
  for (const port of [ports.api, ports.mail, ports.smtp]) expect(await isPortFree(port)).toBe(true)
})
