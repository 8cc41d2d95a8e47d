import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Page } from '@playwright/test'
import { freePort } from '@tenantbase/local-supabase/cluster'
import { launchStack } from '@tenantbase/local-supabase/stack'
import { startApp } from '#src/harness/app-server.ts'

const out = '/tmp/shots-nobilling'
const dir = await mkdtemp(path.join(os.tmpdir(), 'tb-shots-'))
await (await import('node:fs/promises')).chmod(dir, 0o755)
const appPort = await freePort()
const appUrl = `http://127.0.0.1:${appPort}`
const stack = await launchStack({
  ports: { api: await freePort(), db: await freePort(), mail: await freePort(), smtp: await freePort() },
  dataDir: path.join(dir, 'db'), storageDir: path.join(dir, 'storage'), persistent: false, fast: true,
  configure: (config) => ({ ...config, auth: { ...config.auth, site_url: appUrl } }),
})
const app = await startApp({
  port: appPort,
  env: {
    SUPABASE_URL: stack.status.api_url ?? '', SUPABASE_ANON_KEY: stack.status.anon_key ?? '',
    SUPABASE_SERVICE_ROLE_KEY: stack.status.service_role_key ?? '', APP_URL: appUrl,
    SMTP_URL: `smtp://127.0.0.1:${stack.status.smtp_port}`, MAIL_FROM: 'T <t@t.test>', BILLING_PROVIDER: '',
  },
})
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] })
async function shot(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width > 500 ? 860 : 844 })
    await page.screenshot({ path: path.join(out, `${name}-${width}.png`), fullPage: true })
  }
  await page.setViewportSize({ width: 1280, height: 860 })
}
async function as(email: string) {
  const context = await browser.newContext({ baseURL: appUrl })
  const page = await context.newPage()
  await page.goto('/sign-in')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill('password123')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'))
  return page
}
try {
  const owner = await as('owner@acme.test')
  await owner.goto('/org/acme/billing'); await shot(owner, 'billing-no-provider')
  await owner.goto('/pricing'); await shot(owner, 'pricing-no-provider-signed-in')
  await owner.goto('/org/acme/settings'); await shot(owner, 'settings-acme-owner')
  await owner.goto('/org/acme/audit'); await shot(owner, 'audit-acme')
  await owner.goto('/org/acme/dashboard')
  await owner.locator('summary', { hasText: 'Account:' }).filter({ visible: true }).click()
  await owner.screenshot({ path: path.join(out, 'user-menu-1280.png') })
  const manager = await as('manager@acme.test')
  await manager.goto('/org/acme/billing'); await shot(manager, 'billing-manager-403')
  await manager.goto('/org/acme/audit'); await shot(manager, 'audit-manager')
  await manager.goto('/org/acme/settings'); await shot(manager, 'settings-manager-403')
  const admin = await as('admin@tenantbase.test')
  console.log('admin landed on', admin.url())
  await admin.goto('/admin/tenants/0a000000-0000-4000-8000-00000000000a'); await shot(admin, 'admin-acme')
  await admin.goto('/account'); await shot(admin, 'account-admin')
  await admin.locator('summary', { hasText: 'Account:' }).filter({ visible: true }).click()
  await admin.screenshot({ path: path.join(out, 'account-menu-1280.png') })
  const visitor = await (await browser.newContext({ baseURL: appUrl })).newPage()
  await visitor.goto('/pricing'); await shot(visitor, 'pricing-no-provider')
} finally {
  await browser.close(); await app.stop(); await stack.close(); await rm(dir, { recursive: true, force: true })
}
