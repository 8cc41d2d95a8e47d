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

const timed = async (fn: (i: number) => Promise<unknown>, i: number) => {
  const start = performance.now()
  await fn(i)
  return performance.now() - start
}

/** How many rounds and samples per round; `budgetMs` caps the time spent on slow calls. */
export type Plan = { rounds?: number; perRound?: number; warmup?: number; budgetMs?: number }

/** A figure and how much it moved between rounds: the median of all samples, [min, max] of the rounds. */
export type Measured = { value: number; spread: [number, number]; samples: number }

/** A comparison: medians of both sides, their ratio, and [min, max] of the per-round ratios. */
export type Compared = {
  value: number
  baseline: number
  ratio: number
  spread: [number, number]
  samples: number
}

function perRoundFor(plan: Required<Plan>, slowest: number, calls: number) {
  if (slowest <= 0) return plan.perRound
  const fit = Math.floor(plan.budgetMs / (plan.rounds * calls * slowest))
  return Math.max(1, Math.min(plan.perRound, fit))
}

const defaults: Required<Plan> = { rounds: 7, perRound: 20, warmup: 5, budgetMs: 8000 }

/**
 * Measures a against b in rounds, alternating the order (a b, b a, ...) so drift on a shared
 * machine hits both sides alike. Each round gives a ratio of its two medians; the ratio reported
 * is the median of those round ratios, so a round hit by a burst of load elsewhere on the
 * machine does not move it, and the spread is their lowest and highest. value and baseline are
 * the medians of all samples of each side.
 */
export async function compare(
  a: (i: number) => Promise<unknown>,
  b: (i: number) => Promise<unknown>,
  options: Plan = {},
): Promise<Compared> {
  const plan = { ...defaults, ...options }
  let slowest = 0
  for (let i = 0; i < plan.warmup; i++) {
    slowest = Math.max(slowest, await timed(a, i), await timed(b, i))
  }
  const perRound = perRoundFor(plan, slowest, 2)
  const all = { a: [] as Samples, b: [] as Samples }
  const ratios: number[] = []
  let i = 0
  for (let round = 0; round < plan.rounds; round++) {
    const ra: Samples = []
    const rb: Samples = []
    for (let k = 0; k < perRound; k++, i++) {
      if (k % 2 === 0) {
        ra.push(await timed(a, i))
        rb.push(await timed(b, i))
      } else {
        rb.push(await timed(b, i))
        ra.push(await timed(a, i))
      }
    }
    ratios.push(median(ra) / median(rb))
    all.a.push(...ra)
    all.b.push(...rb)
  }
  return {
    value: median(all.a),
    baseline: median(all.b),
    ratio: median(ratios),
    spread: [Math.min(...ratios), Math.max(...ratios)],
    samples: all.a.length,
  }
}

/**
 * Like compare(), but each round runs a block of a then a block of b (the order alternating
 * between rounds), for an `a` that leaves work behind when it returns (a server finishing a
 * request after its answer): alternating call by call would bill that work to b. Only the
 * first call of each block can meet the other side's leftovers, and medians discard it.
 */
export async function compareInBlocks(
  a: (i: number) => Promise<unknown>,
  b: (i: number) => Promise<unknown>,
  {
    rounds = 10,
    perBlock = 30,
    warmup = 30,
  }: { rounds?: number; perBlock?: number; warmup?: number } = {},
): Promise<Compared> {
  for (let i = 0; i < warmup; i++) {
    await a(i)
    await b(i)
  }
  const all = { a: [] as Samples, b: [] as Samples }
  const ratios: number[] = []
  const block = async (fn: (i: number) => Promise<unknown>) => {
    const samples: Samples = []
    for (let k = 0; k < perBlock; k++) samples.push(await timed(fn, k))
    return samples
  }
  for (let round = 0; round < rounds; round++) {
    let ra: Samples
    let rb: Samples
    if (round % 2 === 0) {
      ra = await block(a)
      rb = await block(b)
    } else {
      rb = await block(b)
      ra = await block(a)
    }
    ratios.push(median(ra) / median(rb))
    all.a.push(...ra)
    all.b.push(...rb)
  }
  return {
    value: median(all.a),
    baseline: median(all.b),
    ratio: median(ratios),
    spread: [Math.min(...ratios), Math.max(...ratios)],
    samples: all.a.length,
  }
}

/** Measures one operation in rounds: the median of all samples and the range of round medians. */
export async function repeat(
  fn: (i: number) => Promise<unknown>,
  options: Plan = {},
): Promise<Measured & { all: Samples }> {
  const plan = { ...defaults, ...options }
  let slowest = 0
  for (let i = 0; i < plan.warmup; i++) slowest = Math.max(slowest, await timed(fn, i))
  const perRound = perRoundFor(plan, slowest, 1)
  const all: Samples = []
  const medians: number[] = []
  let i = 0
  for (let round = 0; round < plan.rounds; round++) {
    const samples: Samples = []
    for (let k = 0; k < perRound; k++, i++) samples.push(await timed(fn, i))
    medians.push(median(samples))
    all.push(...samples)
  }
  return {
    value: median(all),
    spread: [Math.min(...medians), Math.max(...medians)],
    samples: all.length,
    all,
  }
}

/**
 * The server time of one call of something, without the round trip: a statement making `calls`
 * calls against the same statement without them, alternated; the difference divided by `calls`.
 * Per round the difference of the medians; the value is the median of the per-pair differences.
 */
export async function perCall(
  withCalls: () => Promise<unknown>,
  without: () => Promise<unknown>,
  calls: number,
  { rounds = 7, perRound = 10, warmup = 3 }: Plan = {},
): Promise<Measured> {
  for (let i = 0; i < warmup; i++) {
    await withCalls()
    await without()
  }
  const per: number[] = []
  const byRound: number[] = []
  for (let round = 0; round < rounds; round++) {
    const differences: number[] = []
    for (let k = 0; k < perRound; k++) {
      // Alternate the order, as in compare().
      const [a, b] =
        k % 2 === 0
          ? [await timed(withCalls, k), await timed(without, k)]
          : [await timed(without, k), await timed(withCalls, k)].reverse()
      differences.push(((a ?? 0) - (b ?? 0)) / calls)
    }
    byRound.push(median(differences))
    per.push(...differences)
  }
  return {
    value: median(per),
    spread: [Math.min(...byRound), Math.max(...byRound)],
    samples: per.length,
  }
}
