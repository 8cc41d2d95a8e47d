// pnpm provision --name <name> --slug <slug> --admin <email> [--role-name <role>]
// Provisions a tenant with the service key, emails the invitation to its first admin, and
// prints the link. Uses .env, or the running local stack when no SUPABASE_URL is set.
import { parseArgs } from 'node:util'
import { RpcError } from '@tenantbase/schemas/rpc-error'
import { createServiceClient } from '@tenantbase/supabase/service-client'
import { parseEnv } from '../app/lib/env.server.ts'
import { provisionTenant } from '../app/lib/provision-tenant.server.ts'
import { useLocalStackEnv } from './local-env.ts'

const usage = `Usage: pnpm provision --name <name> --slug <slug> --admin <email> [--role-name <role>]

  --name       the organization's name, e.g. "Acme Corp"
  --slug       its URL name: lower-case letters, digits and dashes, e.g. acme-corp
  --admin      email of its first admin, who receives the invitation
  --role-name  name of the owner role (default: Owner)`

async function main(): Promise<number> {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      options: {
        name: { type: 'string' },
        slug: { type: 'string' },
        admin: { type: 'string' },
        'role-name': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`)
    return 1
  }
  if (values.help) {
    console.log(usage)
    return 0
  }
  const missing = ['name', 'slug', 'admin'].filter((key) => !values[key])
  if (missing.length) {
    console.error(`Missing ${missing.map((m) => `--${m}`).join(', ')}.\n\n${usage}`)
    return 1
  }
  await useLocalStackEnv({ appUrl: 'http://127.0.0.1:5173', wait: false })
  const env = parseEnv(process.env)
  try {
    const tenant = await provisionTenant(createServiceClient(env), {
      name: String(values.name),
      slug: String(values.slug),
      adminEmail: String(values.admin),
      roleName: values['role-name'] ? String(values['role-name']) : undefined,
    })
    console.log(
      [
        `Provisioned "${values.name}" (${String(values.slug).toLowerCase()}): organization ${tenant.organization_id}`,
        tenant.emailError
          ? `The invitation email to ${values.admin} could not be sent (${tenant.emailError}); send this link yourself (expires ${tenant.expires_at}):`
          : `Invitation emailed to ${values.admin} (expires ${tenant.expires_at}):`,
        `  ${tenant.link}`,
      ].join('\n'),
    )
    return 0
  } catch (error) {
    if (error instanceof RpcError) {
      console.error(`Provisioning failed: ${error.message}`)
      return 1
    }
    throw error
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  },
)
