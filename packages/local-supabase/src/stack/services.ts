import path from 'node:path'
import { type Cluster, SUPERUSER } from '#src/db/cluster.ts'
import { loadStackConfig, type StackConfig } from '#src/gateway/config.ts'
import { startGateway } from '#src/gateway/server.ts'
import { ANON_KEY, JWT_SECRET, PUBLISHABLE_KEY, SECRET_KEY, SERVICE_ROLE_KEY } from '#src/keys.ts'
import { startMailCatcher } from '#src/mail/catcher.ts'
import { smtpMailer } from '#src/mail/mailer.ts'
import type { HeldPorts } from '#src/stack/held-ports.ts'
import type { StackPorts } from '#src/stack/ports.ts'
import type { StackStatus } from '#src/stack/state.ts'

/** Starts the mail catcher and the HTTP gateway next to the database. */
export async function startServices(input: {
  cluster: Cluster
  ports: StackPorts
  /** The ports, already bound; each server takes its own over. */
  held?: HeldPorts<'api' | 'mail' | 'smtp'>
  storageDir: string
  signingKeyFile?: string
  stackHome?: string
  /** Adjusts supabase/config.toml's settings for this run (e2e points redirects at its pages). */
  configure?: (config: StackConfig, urls: { mail: string }) => StackConfig
}): Promise<{ status: Partial<StackStatus>; close(): Promise<void> }> {
  const at = (name: 'api' | 'mail' | 'smtp') => input.held?.take(name) ?? input.ports[name]
  const mail = await startMailCatcher({ smtpPort: at('smtp'), httpPort: at('mail') })
  let api: ReturnType<typeof at> | undefined
  try {
    const config = input.configure
      ? input.configure(await loadStackConfig(), { mail: mail.url })
      : await loadStackConfig()
    api = at('api')
    const gateway = await startGateway({
      databaseUrl: input.cluster.url(SUPERUSER, 'postgres'),
      port: api,
      config,
      storageDir: path.resolve(input.storageDir),
      mailer: smtpMailer({ host: '127.0.0.1', port: mail.smtpPort }),
      signingKeyFile: input.signingKeyFile,
      stackHome: input.stackHome,
    })
    return {
      status: {
        api_url: gateway.url,
        rest_url: `${gateway.url}/rest/v1`,
        auth_url: `${gateway.url}/auth/v1`,
        storage_url: `${gateway.url}/storage/v1`,
        mail_url: mail.url,
        smtp_port: mail.smtpPort,
        anon_key: ANON_KEY,
        service_role_key: SERVICE_ROLE_KEY,
        publishable_key: PUBLISHABLE_KEY,
        secret_key: SECRET_KEY,
        jwt_secret: JWT_SECRET,
      },
      close: async () => {
        await gateway.close()
        await mail.close()
      },
    }
  } catch (error) {
    // A listener the gateway took but never served on is closed here; held ones by the caller.
    if (api !== undefined && typeof api !== 'number') api.close()
    await mail.close()
    throw error
  }
}
