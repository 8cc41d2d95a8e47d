// pnpm prints a banner ("> tenantbase@ stack:status /path" and the command) before a script's
// own output. The stack commands print what other scripts read (`pnpm stack:status --json | jq`),
// so pnpm's reporter is silenced for these commands only; `pnpm install` and every other command
// keep pnpm's normal output. See docs/decisions/002-stack-commands-outside-turbo.md.
const QUIET_SCRIPTS = new Set([
  'stack:start',
  'stack:status',
  'stack:stop',
  'stack:reset',
  'db:generate',
  'db:new',
])

function updateConfig(config) {
  const words = process.argv.slice(2).filter((arg) => !arg.startsWith('-'))
  const script = words[0] === 'run' || words[0] === 'run-script' ? words[1] : words[0]
  if (QUIET_SCRIPTS.has(script)) config.reporter = 'silent'
  return config
}

module.exports = { hooks: { updateConfig } }
