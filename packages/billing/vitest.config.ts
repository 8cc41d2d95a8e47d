import { defineTestConfig } from '@tenantbase/local-supabase/testing/vitest-config'

export default defineTestConfig('billing')
