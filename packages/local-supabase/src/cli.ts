#!/usr/bin/env node
import { createEmptyMigration } from '#src/db/migrations.ts'
import { generateMigration } from '#src/db/schema/generate-migration.ts'
import { LocalStackError } from '#src/errors.ts'
import { resetStack, runForeground, startStack, stopStack } from '#src/stack/commands.ts'
import { formatStatus } from '#src/stack/format-status.ts'
import { serve } from '#src/stack/serve.ts'
import { runningStack } from '#src/stack/state.ts'

const usage = `Usage: tenantbase-stack <command>
  start             start the local stack in the background and print its status
  status [--json]   print URLs and keys of the running stack
  stop              stop the background stack
  reset             wipe the local database, re-create it, apply migrations and seed
  dev               run the stack in the foreground until Ctrl-C
  generate [--name <name>]
                    write a new migration for what changed in the SQL packages
  new <name>        create an empty migration for a change written by hand`

const [command, ...args] = process.argv.slice(2)

async function main(): Promise<number> {
  switch (command) {
    case 'start': {
      const began = Date.now()
      const { status, alreadyRunning } = await startStack()
      console.log(
        alreadyRunning
          ? 'The local stack is already running.'
          : `Started the local stack in ${((Date.now() - began) / 1000).toFixed(1)} s.`,
      )
      console.log(formatStatus(status))
      return 0
    }
    case 'status': {
      const state = await runningStack()
      if (!state?.status) {
        console.error('No local stack is running. Start it with `pnpm stack:start`.')
        return 1
      }
      console.log(
        args.includes('--json') ? JSON.stringify(state.status) : formatStatus(state.status),
      )
      return 0
    }
    case 'stop':
      console.log((await stopStack()) ? 'Stopped the local stack.' : 'No local stack was running.')
      return 0
    case 'reset': {
      const status = await resetStack()
      console.log('Reset the local stack: platform, migrations and seed applied.')
      console.log(formatStatus(status))
      return 0
    }
    case 'dev': {
      const status = await runForeground()
      console.log(formatStatus(status))
      console.log('The local stack is running. Press Ctrl-C to stop it.')
      return -1
    }
    case 'serve':
      await serve()
      return -1
    case 'generate': {
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
    console.error(error instanceof LocalStackError ? error.message : error)
    process.exit(1)
  },
)
