import path from 'node:path'
import { repoRoot } from '#src/repo-root.ts'

/** Everything the local stack keeps on disk lives in the git-ignored `.tenantbase/` folder. */
export function stackPaths() {
  const home = path.join(repoRoot(), '.tenantbase')
  return {
    home,
    dataDir: path.join(home, 'db'),
    storageDir: path.join(home, 'storage'),
    stateFile: path.join(home, 'stack.json'),
    logFile: path.join(home, 'stack.log'),
  }
}
