import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestStack, latestMail, type TestStack } from '#src/testing/index.ts'

// Email links may only send the browser to site_url or additional_redirect_urls
// (supabase/config.toml: site http://127.0.0.1:5173, globs http://localhost:5173/**).

let stack: TestStack
const SITE = 'http://127.0.0.1:5173'
beforeAll(async () => {
  stack = await createTestStack()
  await stack.db.query(
    `update platform.platform_settings set value = 'true' where key = 'allow_self_service_signup'`,
  )
})
afterAll(() => stack.close())

const admin = () => stack.client(stack.serviceRoleKey).auth.admin

async function landingOf(link: string): Promise<string> {
  const response = await fetch(link, { redirect: 'manual' })
  expect(response.status).toBe(303)
  return (response.headers.get('location') as string).split('#')[0] as string
}

describe('redirect_to of email links', () => {
  it.each([
    ['user info', 'http://127.0.0.1:5173@evil.example/steal'],
    ['a backslash', 'http://localhost:5173\\@evil.example/'],
    ['another host', 'https://evil.example/auth/callback'],
    ['a query standing in for the host', 'http://evil.example?.localhost:5173/'],
  ])('falls back to site_url for %s (recovery mail and its link)', async (_name, target) => {
    const email = `redirect-${Math.random().toString(36).slice(2)}@example.com`
    expect(
      (await admin().createUser({ email, password: 'password123', email_confirm: true })).error,
    ).toBeNull()
    const sent = await stack.client().auth.resetPasswordForEmail(email, { redirectTo: target })
    expect(sent.error).toBeNull()
    const link = (await latestMail(stack.mailUrl, email, 'Reset Your Password')).links[0] as string
    expect(new URL(link).searchParams.get('redirect_to')).toBe(SITE)
    expect(await landingOf(link)).toBe(SITE)
  })

  it('keeps an allowed target: the site host, and additional_redirect_urls globs', async () => {
    const email = 'redirect-allowed@example.com'
    await admin().createUser({ email, password: 'password123', email_confirm: true })
    await stack
      .client()
      .auth.resetPasswordForEmail(email, { redirectTo: 'http://localhost:5173/auth/callback' })
    const link = (await latestMail(stack.mailUrl, email)).links[0] as string
    expect(await landingOf(link)).toBe('http://localhost:5173/auth/callback')

    const invited = await admin().inviteUserByEmail('redirect-invitee@example.com', {
      redirectTo: `${SITE}/invite/accept`,
    })
    expect(invited.error).toBeNull()
    const invite = (await latestMail(stack.mailUrl, 'redirect-invitee@example.com')).links[0]
    expect(new URL(invite as string).searchParams.get('redirect_to')).toBe(`${SITE}/invite/accept`)
  })

  it('re-checks the redirect of a link whose redirect_to was tampered with', async () => {
    const link = await admin().generateLink({
      type: 'recovery',
      email: 'redirect-allowed@example.com',
      options: { redirectTo: 'https://evil.example/' },
    })
    expect(link.data.properties?.redirect_to).toBe(SITE)
    const tampered = new URL(link.data.properties?.action_link as string)
    tampered.searchParams.set('redirect_to', 'http://localhost:5173@evil.example/')
    expect(await landingOf(tampered.toString())).toBe(SITE)
  })
})
