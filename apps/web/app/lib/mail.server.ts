import nodemailer, { type Transporter } from 'nodemailer'
import { env } from '#app/lib/env.server.ts'

export type Email = { to: string; subject: string; html: string; text: string }

let transport: Transporter | undefined

/** Sends one email over SMTP_URL (the local mail catcher in development). */
export async function sendEmail(email: Email): Promise<void> {
  transport ??= nodemailer.createTransport(env().SMTP_URL)
  await transport.sendMail({ from: env().MAIL_FROM, ...email })
}
