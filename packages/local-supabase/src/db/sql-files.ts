import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'

export type SqlFile = { path: string; sql: string }

/** The `.sql` files of a folder in file-name order; a missing folder has none. */
export async function readSqlFolder(folder: string): Promise<SqlFile[]> {
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[]
    throw error
  })
  const files = names.filter((name) => name.endsWith('.sql')).sort()
  return Promise.all(
    files.map(async (name) => ({
      path: path.join(folder, name),
      sql: await readFile(path.join(folder, name), 'utf8'),
    })),
  )
}
