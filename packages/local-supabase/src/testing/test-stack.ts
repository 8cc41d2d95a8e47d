import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import { loadStackConfig, type StackConfig } from '#src/gateway/config.ts'
import { startGateway } from '#src/gateway/server.ts'
import { ANON_KEY, SERVICE_ROLE_KEY } from '#src/keys.ts'
import { startMailCatcher } from '#src/mail/catcher.ts'
import { smtpMailer } from '#src/mail/mailer.ts'
import { createTestDatabase, type TestDatabase } from '#src/testing/test-database.ts'

export type TestStack = {
  db: TestDatabase
  url: string
  anonKey: string
  serviceRoleKey: string
  mailUrl: string
  /** A fresh supabase-js client (no persisted session) with the anon key or the given key. */
  client(key?: string): SupabaseClient
  close(): Promise<void>
}

/** A fresh database plus the gateway and a mail catcher on free ports, for one test file. */
export async function createTestStack(
  options: { configure?: (config: StackConfig) => StackConfig } = {},
): Promise<TestStack> {
  const db = await createTestDatabase()
  const storageDir = await mkdtemp(path.join(os.tmpdir(), 'tenantbase-storage-'))
  const mail = await startMailCatcher({ smtpPort: 0, httpPort: 0 })
  const base = await loadStackConfig()
  const gateway = await startGateway({
    databaseUrl: db.url,
    port: 0,
    config: options.configure ? options.configure(structuredClone(base)) : base,
    storageDir,
    mailer: smtpMailer({ host: '127.0.0.1', port: mail.smtpPort }),
  })
  return {
    db,
    url: gateway.url,
    anonKey: ANON_KEY,
    serviceRoleKey: SERVICE_ROLE_KEY,
    mailUrl: mail.url,
    client: (key = ANON_KEY) =>
      createClient(gateway.url, key, {
        auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      }),
    close: async () => {
      await gateway.close()
      await mail.close()
      await db.close()
      await rm(storageDir, { recursive: true, force: true })
    },
  }
}
