import type { AuthContext } from '#src/auth/auth-context.ts'
import { AuthError } from '#src/auth/errors.ts'
import {
  clearOneTimeToken,
  generateOtp,
  storeOneTimeToken,
  type TokenKind,
  tokenHash,
} from '#src/auth/one-time-tokens.ts'
import { type Flow, withFlowPrefix } from '#src/auth/pkce.ts'
import type { UserRow } from '#src/auth/user-json.ts'
import type { Db } from '#src/auth/users.ts'
import { parseDuration } from '#src/gateway/config.ts'

// GoTrue's auth mails (auth:internal/api/mail.go, internal/mailer/templatemailer): default
// subjects and bodies, the link to GET /verify, the per-user send frequency limit.

type Template = { subject: string; body: (data: MailData) => string }
type MailData = {
  siteUrl: string
  confirmationUrl: string
  token: string
  email: string
  newEmail: string
}

const TEMPLATES = {
  invite: {
    subject: 'You have been invited',
    body: (d) => `<h2>You have been invited</h2>

<p>You have been invited to create a user on ${d.siteUrl}. Follow this link to accept the invite:</p>
<p><a href="${d.confirmationUrl}">Accept the invite</a></p>
<p>Alternatively, enter the code: ${d.token}</p>`,
  },
  signup: {
    subject: 'Confirm Your Email',
    body: (d) => `<h2>Confirm Your Email</h2>

<p>Follow this link to confirm your email:</p>
<p><a href="${d.confirmationUrl}">Confirm your email address</a></p>
<p>Alternatively, enter the code: ${d.token}</p>
`,
  },
  recovery: {
    subject: 'Reset Your Password',
    body: (d) => `<h2>Reset password</h2>

<p>Follow this link to reset the password for your user:</p>
<p><a href="${d.confirmationUrl}">Reset password</a></p>
<p>Alternatively, enter the code: ${d.token}</p>`,
  },
  magiclink: {
    subject: 'Your Magic Link',
    body: (d) => `<h2>Magic Link</h2>

<p>Follow this link to login:</p>
<p><a href="${d.confirmationUrl}">Log In</a></p>
<p>Alternatively, enter the code: ${d.token}</p>`,
  },
  email_change: {
    subject: 'Confirm Email Change',
    body: (d) => `<h2>Confirm email address change</h2>

<p>Follow this link to confirm the update of your email address from ${d.email} to ${d.newEmail}:</p>
<p><a href="${d.confirmationUrl}">Change email address</a></p>
<p>Alternatively, enter the code: ${d.token}</p>`,
  },
  reauthentication: {
    subject: 'Confirm reauthentication',
    body: (d) => `<h2>Confirm reauthentication</h2>

<p>Enter the code: ${d.token}</p>`,
  },
} satisfies Record<string, Template>
type Action = keyof typeof TEMPLATES

/** Go's url.QueryEscape (space as '+', everything but unreserved characters escaped). */
export const goQueryEscape = (value: string) =>
  encodeURIComponent(value)
    .replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')

/** GoTrue's encodeRedirectURL: escaped only when it holds &, = or # (else taken as given). */
const encodeRedirectUrl = (url: string) => (/[&=#]/.test(url) ? goQueryEscape(url) : url)

/** The link in a mail: `{API}/auth/v1/verify?token=…&type=…&redirect_to=…` (GoTrue's getPath). */
export function verifyLink(auth: AuthContext, token: string, type: string, referrer: string) {
  return `${auth.gateway.apiUrl}/auth/v1/verify?token=${goQueryEscape(token)}&type=${goQueryEscape(type)}&redirect_to=${encodeRedirectUrl(referrer)}`
}

const htmlToText = (html: string) =>
  html
    .replace(/<a href="([^"]*)">([^<]*)<\/a>/g, '$2: $1')
    .replace(/<[^>]+>/g, '')
    .replace(
      /&(amp|lt|gt|#34|#39);/g,
      (_, e) => ({ amp: '&', lt: '<', gt: '>', '#34': '"', '#39': "'" })[e as string] ?? '',
    )
    .trim()

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[ch] ?? ch,
  )

async function send(
  auth: AuthContext,
  action: Action,
  to: string,
  data: Omit<MailData, 'siteUrl'>,
  failure: string,
) {
  const template: Template = TEMPLATES[action]
  // Escaped like Go's html/template does for GoTrue's templates.
  const values = { ...data, siteUrl: auth.config.site_url }
  const html = template.body(
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, escapeHtml(v)])) as MailData,
  )
  try {
    await auth.gateway.mailer.send({
      to,
      subject: template.subject,
      html,
      text: `${htmlToText(html)}\n`,
    })
  } catch {
    throw new AuthError(500, 'unexpected_failure', failure)
  }
}

/** GoTrue's validateSentWithinFrequencyLimit with `[auth.email] max_frequency`. */
function checkFrequency(auth: AuthContext, sentAt: unknown) {
  if (!sentAt) return
  const next = new Date(sentAt as string).getTime() + parseDuration(auth.config.email.max_frequency)
  if (next > Date.now()) {
    const left = Math.trunc((next - Date.now()) / 1000)
    throw new AuthError(
      429,
      'over_email_send_rate_limit',
      `For security purposes, you can only request this after ${left} seconds.`,
    )
  }
}

/** Mails a link + code of one kind to the user's address and stores its token. */
async function sendLinkMail(
  auth: AuthContext,
  db: Db,
  user: UserRow,
  input: { action: Action; kind: TokenKind; sentAt: unknown; flow: Flow; referrer: string },
  failure: string,
): Promise<void> {
  checkFrequency(auth, input.sentAt)
  const email = user.email as string
  const otp = generateOtp(auth.config.email.otp_length)
  const token = withFlowPrefix(tokenHash(email, otp), input.flow)
  await send(
    auth,
    input.action,
    email,
    {
      confirmationUrl: verifyLink(auth, token, input.action, input.referrer),
      token: otp,
      email,
      newEmail: '',
    },
    failure,
  )
  await storeOneTimeToken(db, user.id, input.kind, token, email)
}

export const sendConfirmation = (
  auth: AuthContext,
  db: Db,
  user: UserRow,
  flow: Flow,
  referrer: string,
) =>
  sendLinkMail(
    auth,
    db,
    user,
    { action: 'signup', kind: 'confirmation', sentAt: user.confirmation_sent_at, flow, referrer },
    'Error sending confirmation email',
  )

export const sendRecovery = (
  auth: AuthContext,
  db: Db,
  user: UserRow,
  flow: Flow,
  referrer: string,
) =>
  sendLinkMail(
    auth,
    db,
    user,
    { action: 'recovery', kind: 'recovery', sentAt: user.recovery_sent_at, flow, referrer },
    'Error sending recovery email',
  )

/** A magic link is a recovery token with its own mail; it shares the recovery send limit. */
export const sendMagicLink = (
  auth: AuthContext,
  db: Db,
  user: UserRow,
  flow: Flow,
  referrer: string,
) =>
  sendLinkMail(
    auth,
    db,
    user,
    { action: 'magiclink', kind: 'recovery', sentAt: user.recovery_sent_at, flow, referrer },
    'Error sending magic link email',
  )

/** Invitations have no send limit and no PKCE in GoTrue (the invited browser has no verifier). */
export async function sendInvite(auth: AuthContext, db: Db, user: UserRow, referrer: string) {
  await sendLinkMail(
    auth,
    db,
    user,
    { action: 'invite', kind: 'confirmation', sentAt: null, flow: { pkce: false }, referrer },
    'Error sending invite email',
  )
  await db.query('update auth.users set invited_at = now() where id = $1', [user.id])
}

/** A code (no link) to confirm a sensitive change such as a new password. */
export async function sendReauthentication(auth: AuthContext, db: Db, user: UserRow) {
  checkFrequency(auth, user.reauthentication_sent_at)
  const email = user.email as string
  const otp = generateOtp(auth.config.email.otp_length)
  await send(
    auth,
    'reauthentication',
    email,
    { confirmationUrl: '', token: otp, email, newEmail: '' },
    'Error sending reauthentication email',
  )
  await storeOneTimeToken(db, user.id, 'reauthentication', tokenHash(email, otp), email)
}

/**
 * GoTrue's sendEmailChange: the new address is kept pending in `email_change` and gets a link;
 * with `double_confirm_changes` the current address gets its own link too. Nothing changes
 * `auth.users.email` until the links are followed (see verification.ts).
 */
export async function sendEmailChange(
  auth: AuthContext,
  db: Db,
  user: UserRow,
  newEmail: string,
  flow: Flow,
  referrer: string,
): Promise<void> {
  checkFrequency(auth, user.email_change_sent_at)
  const current = (user.email as string | null) ?? ''
  const otpNew = generateOtp(auth.config.email.otp_length)
  const tokenNew = withFlowPrefix(tokenHash(newEmail, otpNew), flow)
  const secure = auth.config.email.double_confirm_changes && current !== ''
  const otpCurrent = secure ? generateOtp(auth.config.email.otp_length) : ''
  const tokenCurrent = secure ? withFlowPrefix(tokenHash(current, otpCurrent), flow) : ''
  const mails = [{ to: newEmail, otp: otpNew, token: tokenNew }]
  if (secure) mails.push({ to: current, otp: otpCurrent, token: tokenCurrent })
  for (const mail of mails) {
    await send(
      auth,
      'email_change',
      mail.to,
      {
        confirmationUrl: verifyLink(auth, mail.token, 'email_change', referrer),
        token: mail.otp,
        email: current,
        newEmail,
      },
      'Error sending email change email',
    )
  }
  await db.query(
    `update auth.users set email_change = $2, email_change_token_new = $3, email_change_token_current = $4,
       email_change_confirm_status = 0, email_change_sent_at = now() where id = $1`,
    [user.id, newEmail, tokenNew, tokenCurrent],
  )
  await storeOneTimeToken(db, user.id, 'email_change_new', tokenNew, newEmail)
  if (tokenCurrent) {
    await storeOneTimeToken(db, user.id, 'email_change_current', tokenCurrent, current)
  } else {
    await clearOneTimeToken(db, user.id, 'email_change_current')
  }
}
