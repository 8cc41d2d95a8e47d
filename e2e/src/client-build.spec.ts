import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { SECRET_KEY } from '@tenantbase/local-supabase/keys'
import { signIn } from '#src/fixtures/session.ts'
import { expect, test } from '#src/fixtures/test.ts'
import { clientBuildDir } from '#src/harness/app-server.ts'
import { stackStatus } from '#src/stack-status.ts'

/** Server secrets: what must never reach a browser. */
function secrets() {
  const status = stackStatus()
  return {
    'service role key': status.service_role_key,
    'JWT secret': status.jwt_secret,
    'secret API key': SECRET_KEY,
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name))
}

test('the client build holds neither the service key nor the JWT secret', async () => {
  // The global setup built the app with these secrets in its environment.
  const files = await filesUnder(clientBuildDir())
  expect(files.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(5)
  for (const file of files) {
    const text = await readFile(file, 'utf8')
    for (const [name, secret] of Object.entries(secrets())) {
      expect(text.includes(secret), `${name} in ${path.relative(clientBuildDir(), file)}`).toBe(
        false,
      )
    }
    expect(text, path.relative(clientBuildDir(), file)).not.toContain('SUPABASE_SERVICE_ROLE_KEY')
  }
})

test('pages and their data hold no server secret', async ({ page, tenants }) => {
  const tenant = await tenants.create()
  const bodies: string[] = []
  page.on('response', async (response) => {
    if (response.url().startsWith(stackStatus().app_url)) {
      bodies.push(await response.text().catch(() => ''))
    }
  })
  await signIn(page, tenant.owner.email, tenant.owner.password)
  for (const screen of ['dashboard', 'members', 'units', 'roles', 'deals']) {
    await page
      .getByRole('navigation', { name: 'Organization' })
      .getByRole('link', { name: new RegExp(screen, 'i') })
      .click()
    await expect(page).toHaveURL(`/org/${tenant.slug}/${screen}`)
  }
  expect(bodies.length).toBeGreaterThan(5)
  for (const [name, secret] of Object.entries(secrets())) {
    expect(
      bodies.some((body) => body.includes(secret)),
      name,
    ).toBe(false)
  }
})
