import { copyFile, rename, stat, truncate } from 'node:fs/promises'

/** The stack log is rotated past this size, keeping this many older files (stack.log.1, .2). */
export const LOG_MAX_BYTES = 10 * 1024 * 1024
export const LOG_KEEP = 2

/**
 * Rotates the log once it is larger than maxBytes. Copy, then truncate (like logrotate's
 * copytruncate): the running stack keeps writing through its O_APPEND descriptor, so nothing
 * has to reopen the file. Returns true when it rotated.
 */
export async function rotateLog(
  file: string,
  options: { maxBytes?: number; keep?: number } = {},
): Promise<boolean> {
  const maxBytes = options.maxBytes ?? LOG_MAX_BYTES
  const keep = options.keep ?? LOG_KEEP
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  )
  if (size <= maxBytes) return false
  for (let n = keep - 1; n >= 1; n--) {
    await rename(`${file}.${n}`, `${file}.${n + 1}`).catch(() => undefined)
  }
  await copyFile(file, `${file}.1`)
  await truncate(file, 0)
  return true
}
