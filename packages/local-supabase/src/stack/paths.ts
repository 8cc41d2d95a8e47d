import path from 'node:path'
import { stackEnv } from '#src/env.ts'
import { repoRoot } from '#src/repo-root.ts'

export type StackPaths = ReturnType<typeof stackPaths>

/**
 * Everything the local stack keeps on disk lives in its home: the git-ignored `.tenantbase/`
 * folder of this checkout, or TENANTBASE_STACK_HOME (tests use throwaway homes).
 */
export function stackPaths(home = stackEnv().home ?? path.join(repoRoot(), '.tenantbase')) {
  const resolved = path.resolve(home)
  return {
    home: resolved,
    dataDir: path.join(resolved, 'db'),
    storageDir: path.join(resolved, 'storage'),
    stateFile: path.join(resolved, 'stack.json'),
    logFile: path.join(resolved, 'stack.log'),
    /** The signing key of user access tokens, kept across restarts like a project's keys. */
    signingKeyFile: path.join(resolved, 'signing-key.json'),
  }
}
