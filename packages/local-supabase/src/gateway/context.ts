import type pg from 'pg'
import type { StackConfig } from '#src/gateway/config.ts'
import type { Signer } from '#src/gateway/jwt.ts'
import type { Mailer } from '#src/mail/mailer.ts'

export type Login = 'authenticator' | 'supabase_auth_admin' | 'supabase_storage_admin'

/** What every service of the gateway shares. */
export type GatewayContext = {
  pool(login: Login): pg.Pool
  config: StackConfig
  signer: Signer
  mailer: Mailer
  /** Public base URL of the gateway, e.g. http://127.0.0.1:54321 */
  apiUrl: string
  storageDir: string
  /** The stack home of a developer's stack (absent for throwaway test gateways). */
  stackHome?: string
}

/** The caller of a request, as local Kong + PostgREST see it. */
export type Caller = { role: string; claims: Record<string, unknown>; token: string }
