import { defineConfig } from 'vitest/config'

// Unit tests of app/lib run in Node without the Remix Vite plugin.
export default defineConfig({
  test: { include: ['app/**/*.test.ts'], environment: 'node' },
})
