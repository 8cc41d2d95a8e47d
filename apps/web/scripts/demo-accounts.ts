/** The seed's demo logins (supabase/seed.sql); every password is `password123`. */
export const DEMO_ACCOUNTS = [
  { email: 'owner@acme.test', what: 'Owner of Acme' },
  { email: 'manager@acme.test', what: 'Manager at Acme (invites and manages members, roles)' },
  { email: 'sales@acme.test', what: 'Sales at Acme, below Manager and Finance' },
  { email: 'owner@globex.test', what: 'Owner of Globex, a second organization' },
  { email: 'admin@tenantbase.test', what: 'Platform admin (in no organization)' },
]
export const DEMO_PASSWORD = 'password123'
