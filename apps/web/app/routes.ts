import { index, layout, type RouteConfig, route } from '@remix-run/route-config'

/**
 * Every URL of the app, in one place (v3_routeConfig). Paths are relative to app/.
 */
export default [
  index('routes/index.tsx'),

  // Signed-out pages share a centred card layout.
  layout('routes/_auth/_layout.tsx', [
    route('sign-in', 'routes/_auth/sign-in.tsx'),
    route('sign-up', 'routes/_auth/sign-up.tsx'),
    route('forgot-password', 'routes/_auth/forgot-password.tsx'),
    route('reset-password', 'routes/_auth/reset-password.tsx'),
    route('auth/callback', 'routes/_auth/callback.tsx'),
    route('invite/:token', 'routes/invite.$token.tsx'),
  ]),
  route('sign-out', 'routes/_auth/sign-out.tsx'),
  route('favicon.ico', 'routes/favicon.ts'),
  route('switch-organization', 'routes/switch-organization.tsx'),

  // Inside an organization: the layout holds the switcher and the navigation.
  route('org/:slug', 'routes/org.$slug/_layout.tsx', [
    index('routes/org.$slug/index.tsx'),
    route('dashboard', 'routes/org.$slug/dashboard.tsx'),
    route('deals', 'routes/org.$slug/deals.tsx'),
    route('deals/:id', 'routes/org.$slug/deals.$id.tsx'),
    route('deals/:id/files', 'routes/org.$slug/deals.$id.files.ts'),
    route('deals/:id/files/:name', 'routes/org.$slug/deals.$id.files.$name.ts'),
    route('members', 'routes/org.$slug/members.tsx'),
    route('units', 'routes/org.$slug/units.tsx'),
    route('units/:unitId', 'routes/org.$slug/units.$unitId.tsx'),
    route('roles', 'routes/org.$slug/roles.tsx'),
    route('audit', 'routes/org.$slug/audit.tsx'),
    route('billing', 'routes/org.$slug/billing.tsx'),
    route('settings', 'routes/org.$slug/settings.tsx'),
  ]),

  // My profile (name, picture, email, password), outside any organization.
  route('account', 'routes/account.tsx'),

  // The public plans page.
  route('pricing', 'routes/pricing.tsx'),

  // Platform admin: platform admins only, a 404 for everyone else.
  route('admin', 'routes/admin/_layout.tsx', [
    index('routes/admin/tenants.tsx'),
    route('tenants/new', 'routes/admin/tenants.new.tsx'),
    route('tenants/:id', 'routes/admin/tenants.$id.tsx'),
    route('flags', 'routes/admin/flags.tsx'),
    route('settings', 'routes/admin/settings.tsx'),
    route('log', 'routes/admin/log.tsx'),
  ]),

  // Billing webhooks (resource routes: raw body in, the handler's status out).
  route('api/webhooks/stripe', 'routes/api/webhooks/stripe.ts'),
  route('api/webhooks/lemon-squeezy', 'routes/api/webhooks/lemon-squeezy.ts'),
] satisfies RouteConfig
