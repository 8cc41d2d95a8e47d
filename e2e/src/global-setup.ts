import { randomBytes } from 'node:crypto'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '@tenantbase/local-supabase/cluster'
import { ANON_KEY, JWT_SECRET, SERVICE_ROLE_KEY } from '@tenantbase/local-supabase/keys'
import { launchStack } from '@tenantbase/local-supabase/stack'
import { buildApp, startApp } from '#src/harness/app-server.ts'
import { startFakeStripe } from '#src/harness/fake-stripe.ts'

/**
 * Starts a throwaway local stack on free ports (a developer's running stack is untouched),
 * builds the app and serves it on a free port against that stack, and hands the URLs and keys
 * to the specs through the environment. The stack's site_url is the app, as in production.
 */
export default async function globalSetup() {
  const began = Date.now()
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tenantbase-e2e-'))
  await chmod(dir, 0o755)
  const appPort = await freePort()
  const appUrl = `http://127.0.0.1:${appPort}`
  const [launched, built] = await Promise.allSettled([
    launchStack({
      ports: {
        api: await freePort(),
        db: await freePort(),
        mail: await freePort(),
        smtp: await freePort(),
      },
      dataDir: path.join(dir, 'db'),
      storageDir: path.join(dir, 'storage'),
      persistent: false,
      fast: true,
      configure: (config, urls) => ({
        ...config,
        auth: {
          ...config.auth,
          site_url: appUrl,
          // The mail catcher's page stands in for a client in the Auth-only specs.
          additional_redirect_urls: [`${urls.mail}/`],
        },
      }),
    }),
    process.env.TENANTBASE_E2E_SKIP_BUILD
      ? Promise.resolve()
      : buildApp({
          SUPABASE_URL: 'http://127.0.0.1:54321',
          SUPABASE_ANON_KEY: ANON_KEY,
          SUPABASE_SERVICE_ROLE_KEY: SERVICE_ROLE_KEY,
          JWT_SECRET,
          SUPABASE_JWT_SECRET: JWT_SECRET,
        }),
  ])
  if (launched.status === 'rejected') throw launched.reason
  const stack = launched.value
  if (built.status === 'rejected') {
    // Never leave a stack running behind a failed build.
    await stack.close()
    throw built.reason
  }
  // Billing through Stripe's official SDK, pointed at a local fake for this app only.
  const stripe = await startFakeStripe()
  const stripeWebhookSecret = `whsec_e2e_${randomBytes(12).toString('hex')}`
  let app: Awaited<ReturnType<typeof startApp>> | undefined
  try {
    app = await startApp({
      port: appPort,
      env: {
        SUPABASE_URL: stack.status.api_url ?? '',
        SUPABASE_ANON_KEY: stack.status.anon_key ?? '',
        SUPABASE_SERVICE_ROLE_KEY: stack.status.service_role_key ?? '',
        APP_URL: appUrl,
        SMTP_URL: `smtp://127.0.0.1:${stack.status.smtp_port}`,
        MAIL_FROM: 'Tenantbase <no-reply@tenantbase.test>',
        BILLING_PROVIDER: 'stripe',
        STRIPE_SECRET_KEY: 'sk_test_e2e',
        STRIPE_WEBHOOK_SECRET: stripeWebhookSecret,
        STRIPE_API_URL: stripe.url,
      },
    })
  } catch (error) {
    await stripe.close()
    await stack.close()
    throw error
  }
  process.env.TENANTBASE_E2E_STATUS = JSON.stringify({
    ...stack.status,
    app_url: appUrl,
    stripe_url: stripe.url,
    stripe_webhook_secret: stripeWebhookSecret,
  })
  console.log(
    `[e2e] stack and app ready in ${((Date.now() - began) / 1000).toFixed(1)} s: ${appUrl}`,
  )
  return async () => {
    await app?.stop()
    await stripe.close()
    await stack.close()
    await rm(dir, { recursive: true, force: true })
  }
}
