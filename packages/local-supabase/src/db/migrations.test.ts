import { describe, expect, it } from 'vitest'
import { GENERATED_MARKER, generateMigrations, readMigrationFiles } from '#src/db/migrations.ts'

describe('generated migrations', () => {
  it('supabase/migrations matches the SQL packages (run `pnpm db:generate` when this fails)', async () => {
    const generated = await generateMigrations('supabase')
    const committed = (await readMigrationFiles()).filter((m) => m.name.includes(GENERATED_MARKER))
    expect(committed.map((m) => m.name)).toEqual(generated.map((m) => m.name))
    for (const migration of generated) {
      const file = committed.find((m) => m.name === migration.name)
      expect(file?.sql, `${migration.name} is stale`).toBe(migration.sql)
    }
  })

  it('names migrations deterministically, one per SQL package in dependency order', async () => {
    const first = await generateMigrations('supabase')
    const second = await generateMigrations('supabase')
    expect(second).toEqual(first)
    const names = first.map((m) => m.name)
    expect([...names].sort()).toEqual(names)
    expect(names.every((n) => /^\d{14}_tenantbase_[a-z_]+\.sql$/.test(n))).toBe(true)
  })
})
