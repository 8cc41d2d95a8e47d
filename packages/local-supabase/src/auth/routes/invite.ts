import { Hono } from 'hono'
import { type AuthContext, object, text } from '#src/auth/auth-context.ts'
import { emailExists } from '#src/auth/errors.ts'
import { sendInvite } from '#src/auth/mail.ts'
import { type UserRow, userJson } from '#src/auth/user-json.ts'
import { findUserByEmail, findUserById, insertUser, savingUser } from '#src/auth/users.ts'
import { validateEmail } from '#src/auth/validate-email.ts'

/** POST /invite (admin only): creates an unconfirmed user, or re-invites one, and mails the link. */
export function inviteRoutes(auth: AuthContext): Hono {
  const app = new Hono()
  app.post('/invite', async (c) => {
    await auth.requireAdmin(c)
    const input = await auth.body(c)
    const email = validateEmail(text(input, 'email'))
    const referrer = auth.referrer(c)
    const user = await auth.tx(async (db) => {
      const existing = await findUserByEmail(db, email)
      if (existing?.email_confirmed_at) throw emailExists()
      const user =
        existing ??
        (await savingUser('Database error saving new user', () =>
          insertUser(db, {
            email,
            userMetadata: object(input, 'data') ?? {},
            confirmed: false,
            invited: true,
          }),
        ))
      await sendInvite(auth, db, user, referrer)
      return (await findUserById(db, user.id)) as UserRow
    })
    return c.json(userJson(user))
  })
  return app
}
