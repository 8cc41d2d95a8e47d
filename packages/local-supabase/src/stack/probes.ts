import net from 'node:net'

// Plain sockets instead of fetch or pg: `stack:status` loads this module and must stay fast
// (importing undici or pg costs more than the probes themselves).

/** Sends GET path to 127.0.0.1:port; undefined when nothing answers within timeoutMs. */
export function httpGet(
  port: number,
  path: string,
  timeoutMs: number,
): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    const chunks: Buffer[] = []
    const done = (result: { status: number; body: string } | undefined) => {
      socket.destroy()
      resolve(result)
    }
    socket.setTimeout(timeoutMs, () => done(undefined))
    socket.once('error', () => done(undefined))
    socket.once('connect', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`)
    })
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.once('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1])
      const separator = text.indexOf('\r\n\r\n')
      let body = separator >= 0 ? text.slice(separator + 4) : ''
      if (/\r\ntransfer-encoding: chunked/i.test(text.slice(0, separator))) body = unchunk(body)
      done(Number.isInteger(status) ? { status, body } : undefined)
    })
  })
}

function unchunk(body: string): string {
  let out = ''
  let rest = body
  while (rest.length > 0) {
    const lineEnd = rest.indexOf('\r\n')
    const size = Number.parseInt(rest.slice(0, lineEnd), 16)
    if (!size) break
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size)
    rest = rest.slice(lineEnd + 2 + size + 2)
  }
  return out
}

/**
 * Asks the server on host:port whether it speaks PostgreSQL (an SSLRequest, answered with one
 * byte by any PostgreSQL server that accepts connections), without logging in.
 */
export function probePostgres(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<'up' | 'refused' | 'no answer'> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port })
    const done = (result: 'up' | 'refused' | 'no answer') => {
      socket.destroy()
      resolve(result)
    }
    socket.setTimeout(timeoutMs, () => done('no answer'))
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' ? 'refused' : 'no answer'),
    )
    socket.once('connect', () => {
      const request = Buffer.alloc(8)
      request.writeInt32BE(8, 0)
      request.writeInt32BE(80877103, 4)
      socket.write(request)
    })
    socket.once('data', (chunk) =>
      done(chunk[0] === 0x4e || chunk[0] === 0x53 ? 'up' : 'no answer'),
    )
    socket.once('end', () => done('no answer'))
  })
}
