import { defineTestConfig } from './src/testing/vitest-config.ts'

export default defineTestConfig('local-supabase')
