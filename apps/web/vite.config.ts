import { vitePlugin as remix } from '@remix-run/dev'
import tailwindcss from '@tailwindcss/vite'
import { defineConfig } from 'vite'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

export default defineConfig({
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  // Pre-bundled up front: found later (the role graph loads after hydration; the others are
  // imported by route modules), they would make the first visit in development re-optimize
  // and reload mid-hydration with a second copy of React.
  optimizeDeps: {
    include: ['@xyflow/react', '@dagrejs/dagre', 'zod', '@remix-run/node', '@supabase/ssr'],
  },
  plugins: [
    tailwindcss(),
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: true,
        v3_routeConfig: true,
      },
    }),
  ],
})
