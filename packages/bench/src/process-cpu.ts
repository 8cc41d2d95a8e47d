import { execFileSync } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'

let ticksPerSecond: number | undefined
const clockTicks = () => {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100
    } catch {
      ticksPerSecond = 100
    }
  }
  return ticksPerSecond
}

/** utime + stime of one /proc/<pid>/stat, in clock ticks, and its parent pid. */
async function stat(pid: string): Promise<{ ppid: number; ticks: number } | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8')
    // The command name (in parentheses) may hold spaces; the fields after it are fixed.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) }
  } catch {
    return undefined // exited meanwhile
  }
}

/**
 * CPU time in µs used so far by a process and its children (a postmaster and its backends),
 * read from /proc. Undefined where there is no /proc (macOS).
 */
export async function processTreeCpu(root: number): Promise<number | undefined> {
  if (process.platform !== 'linux') return undefined
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name))
  const stats = await Promise.all(
    pids.map(async (pid) => ({ pid: Number(pid), s: await stat(pid) })),
  )
  let ticks = 0
  for (const { pid, s } of stats) if (s && (pid === root || s.ppid === root)) ticks += s.ticks
  return (ticks / clockTicks()) * 1e6
}
