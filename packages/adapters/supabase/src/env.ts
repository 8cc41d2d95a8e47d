import { z } from 'zod'

/** The Supabase settings an app needs; the same names work for the embedded stack and Supabase. */
export const supabaseEnvSchema = z.object({
  SUPABASE_URL: z.url(),
  SUPABASE_ANON_KEY: z.string().min(20),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(20).optional(),
})
export type SupabaseEnv = z.infer<typeof supabaseEnvSchema>

/** Parses the environment once, with a message that names what is missing. */
export function readSupabaseEnv(
  source: Record<string, string | undefined> = process.env,
): SupabaseEnv {
  const parsed = supabaseEnvSchema.safeParse(source)
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')
    throw new Error(
      `Invalid Supabase environment (${fields}); see .env.example or \`pnpm stack:status\`.`,
    )
  }
  return parsed.data
}
