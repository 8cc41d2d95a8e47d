import { performance } from 'node:perf_hooks'

export type Samples = number[]

/** Runs fn `warmup` times unmeasured, then `runs` times, returning each duration in ms. */
export async function sample(
  fn: (i: number) => Promise<unknown>,
  { runs, warmup = Math.min(5, runs) }: { runs: number; warmup?: number },
): Promise<Samples> {
  for (let i = 0; i < warmup; i++) await fn(i)
  const samples: Samples = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await fn(i)
    samples.push(performance.now() - start)
  }
  return samples
}

export function percentile(samples: Samples, p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index] ?? Number.NaN
}

export const median = (samples: Samples) => percentile(samples, 50)
