import { randomUUID } from 'node:crypto'
import type { Server as HttpServer } from 'node:http'
import type { AddressInfo, Server as Listener } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import { Hono } from 'hono'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export type CaughtMessage = {
  ID: string
  From: { Address: string; Name: string }
  To: { Address: string; Name: string }[]
  Subject: string
  Created: string
  Text: string
  HTML: string
}

const MAX_MESSAGES = 500

/**
 * A Mailpit-like catcher: SMTP in, a page and a JSON API out (GET /api/v1/messages,
 * GET /api/v1/message/:id, DELETE /api/v1/messages), so people and tests can read the mail.
 * Each port is a number, or a listener already bound (the stack binds its ports before it starts).
 */
export async function startMailCatcher(options: {
  smtpPort: number | Listener
  httpPort: number | Listener
  host?: string
}) {
  const host = options.host ?? '127.0.0.1'
  const messages: CaughtMessage[] = []
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const to = Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : []
          messages.unshift({
            ID: randomUUID(),
            From: {
              Address: parsed.from?.value[0]?.address ?? '',
              Name: parsed.from?.value[0]?.name ?? '',
            },
            To: to.flatMap((a) =>
              a.value.map((v) => ({ Address: v.address ?? '', Name: v.name ?? '' })),
            ),
            Subject: parsed.subject ?? '',
            Created: new Date().toISOString(),
            Text: parsed.text ?? '',
            HTML: typeof parsed.html === 'string' ? parsed.html : '',
          })
          messages.splice(MAX_MESSAGES)
          callback()
        })
        .catch((error: Error) => callback(error))
    },
  })
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject)
    if (typeof options.smtpPort === 'number') smtp.listen(options.smtpPort, host, () => resolve())
    else smtp.listen(options.smtpPort, () => resolve())
  })
  const app = new Hono()
  app.get('/api/v1/messages', (c) =>
    c.json({
      total: messages.length,
      messages: messages.map(({ Text: _t, HTML: _h, ...summary }) => summary),
    }),
  )
  app.get('/api/v1/message/:id', (c) => {
    const message = messages.find((m) => m.ID === c.req.param('id'))
    return message ? c.json(message) : c.json({ error: 'message not found' }, 404)
  })
  app.delete('/api/v1/messages', (c) => {
    messages.splice(0)
    return c.json({ ok: true })
  })
  app.get('/', (c) => c.html(renderInbox(messages)))
  app.get('/view/:id', (c) => {
    const message = messages.find((m) => m.ID === c.req.param('id'))
    if (!message) return c.text('Message not found', 404)
    return c.html(renderMessage(message))
  })
  const server = createAdaptorServer({ fetch: app.fetch, hostname: host }) as HttpServer
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      if (typeof options.httpPort === 'number') server.listen(options.httpPort, host, resolve)
      else server.listen(options.httpPort, resolve)
    })
  } catch (error) {
    await new Promise<void>((resolve) => smtp.close(() => resolve()))
    throw error
  }
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    smtpPort: (smtp.server.address() as AddressInfo).port,
    messages,
    close: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  )

function renderInbox(messages: CaughtMessage[]): string {
  const rows = messages
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.Created)}</td><td>${escapeHtml(m.To.map((t) => t.Address).join(', '))}</td><td><a href="/view/${m.ID}">${escapeHtml(m.Subject || '(no subject)')}</a></td></tr>`,
    )
    .join('')
  return `<!doctype html><html><head><meta charset="utf-8"><title>Inbox · Tenantbase mail</title></head>
<body><h1>Inbox</h1><p>${messages.length} message(s)</p>
<table><thead><tr><th>Received</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows}</tbody></table></body></html>`
}

function renderMessage(m: CaughtMessage): string {
  // The links a reader would click: the anchors of an HTML mail (GoTrue's mails are HTML,
  // and mention the site URL in prose before the action link), else URLs in the text. A mail
  // often links one address twice (a button and its plain fallback): each is listed once.
  const found = m.HTML
    ? [...m.HTML.matchAll(/<a\s[^>]*href="([^"]+)"/g)].map((match) =>
        (match[1] as string).replace(/&amp;/g, '&').replace(/&#34;/g, '"').replace(/&#39;/g, "'"),
      )
    : [...m.Text.matchAll(/https?:\/\/\S+/g)].map((match) => match[0])
  const links = [...new Set(found)]
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(m.Subject)}</title></head>
<body><p><a href="/">Inbox</a></p><h1>${escapeHtml(m.Subject)}</h1><p>To: ${escapeHtml(m.To.map((t) => t.Address).join(', '))}</p>
<pre>${escapeHtml(m.Text)}</pre>${links.map((l) => `<p><a class="mail-link" href="${escapeHtml(l)}">${escapeHtml(l)}</a></p>`).join('')}</body></html>`
}
