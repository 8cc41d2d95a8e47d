import type { CaughtMessage } from '#src/mail/catcher.ts'

export type Mail = { subject: string; text: string; html: string; links: string[] }

/**
 * The newest mail to an address (optionally with this subject) in a stack's mail catcher, read
 * through its Mailpit-like API, as a person or an e2e test would. Fails when there is none.
 */
export async function latestMail(mailUrl: string, to: string, subject?: string): Promise<Mail> {
  const list = (await (await fetch(`${mailUrl}/api/v1/messages`)).json()) as {
    messages: Omit<CaughtMessage, 'Text' | 'HTML'>[]
  }
  const summary = list.messages.find(
    (m) =>
      m.To.some((a) => a.Address.toLowerCase() === to.toLowerCase()) &&
      (subject === undefined || m.Subject === subject),
  )
  if (!summary) throw new Error(`No mail to ${to}${subject ? ` with subject "${subject}"` : ''}`)
  const message = (await (
    await fetch(`${mailUrl}/api/v1/message/${summary.ID}`)
  ).json()) as CaughtMessage
  const links = [...message.HTML.matchAll(/href="([^"]+)"/g)].map((m) =>
    (m[1] as string).replace(
      /&(amp|#34|#39|lt|gt);/g,
      (_, e) => ({ amp: '&', '#34': '"', '#39': "'", lt: '<', gt: '>' })[e as string] ?? '',
    ),
  )
  return { subject: message.Subject, text: message.Text, html: message.HTML, links }
}

/** All mails to an address, newest first (subjects only). */
export async function mailsTo(mailUrl: string, to: string): Promise<string[]> {
  const list = (await (await fetch(`${mailUrl}/api/v1/messages`)).json()) as {
    messages: Omit<CaughtMessage, 'Text' | 'HTML'>[]
  }
  return list.messages
    .filter((m) => m.To.some((a) => a.Address.toLowerCase() === to.toLowerCase()))
    .map((m) => m.Subject)
}
