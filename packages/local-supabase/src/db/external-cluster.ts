import { type Cluster, LOCAL_PASSWORD, SUPERUSER } from '#src/db/cluster.ts'

/**
 * An existing PostgreSQL server given by DATABASE_URL instead of the embedded one. The URL must
 * be a superuser's: the stack creates Supabase's roles there (with the local password) and plays
 * the superuser supabase_admin with the URL's own credentials.
 */
export function externalCluster(databaseUrl: string): Cluster {
  const base = new URL(databaseUrl)
  return {
    host: base.hostname,
    port: Number(base.port || 5432),
    url(user, database = 'postgres') {
      const url = new URL(databaseUrl)
      url.pathname = `/${database}`
      if (user !== SUPERUSER) {
        url.username = encodeURIComponent(user)
        url.password = LOCAL_PASSWORD
      }
      return url.toString()
    },
    stop: async () => undefined,
  }
}
