import nodemailer from 'nodemailer'

export type Mail = { to: string; subject: string; text: string; html?: string }
export type Mailer = { send(mail: Mail): Promise<void> }

/** Sends mail over SMTP (the local catcher in development, any SMTP server otherwise). */
export function smtpMailer(options: { host: string; port: number; from?: string }): Mailer {
  const transport = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: false,
    ignoreTLS: true,
  })
  const from = options.from ?? 'Tenantbase <no-reply@tenantbase.local>'
  return {
    send: async (mail) => {
      await transport.sendMail({ from, ...mail })
    },
  }
}
