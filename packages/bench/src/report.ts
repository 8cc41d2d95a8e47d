import { writeFile } from 'node:fs/promises'
import type { Compared, Measured } from '#src/measure.ts'

/**
 * One measured row. `ratio` is the median of the rounds' ratios for comparisons (else value /
 * baseline); `goal` is the largest acceptable ratio or value (or the smallest acceptable value);
 * `spread` is the range over the measuring rounds (of the ratio when there is a baseline, of the
 * value otherwise), so two runs can be compared with the noise in view.
 */
export type BenchRow = {
  name: string
  value: number
  unit: string
  baseline: number | null
  ratio: number | null
  spread: [number, number] | null
  samples: number | null
  goal: string | null
  met: boolean | null
}

export function row(input: {
  name: string
  value: number
  unit: string
  baseline?: number
  /** When the ratio is not value / baseline (the median of the rounds' ratios). */
  ratio?: number
  spread?: [number, number]
  samples?: number
  /** Goal on the ratio value/baseline (e.g. 1.25) … */
  maxRatio?: number
  /** … or on the value itself (e.g. 1 ms). */
  maxValue?: number
  /** A floor on the value instead (e.g. a speed-up of at least 2×). */
  minValue?: number
}): BenchRow {
  const baseline = input.baseline ?? null
  const ratio = input.ratio ?? (baseline ? input.value / baseline : null)
  let goal: string | null = null
  let met: boolean | null = null
  if (input.maxRatio !== undefined && ratio !== null) {
    goal = `≤ ${input.maxRatio}×`
    met = ratio <= input.maxRatio
  } else if (input.maxValue !== undefined) {
    goal = `≤ ${input.maxValue.toLocaleString('en-US')} ${input.unit}`
    met = input.value <= input.maxValue
  } else if (input.minValue !== undefined) {
    goal = `≥ ${input.minValue.toLocaleString('en-US')} ${input.unit}`
    met = input.value >= input.minValue
  }
  return {
    name: input.name,
    value: input.value,
    unit: input.unit,
    baseline,
    ratio,
    spread: input.spread ?? null,
    samples: input.samples ?? null,
    goal,
    met,
  }
}

/** A row from a comparison (value vs baseline, spread of the round ratios). */
export function comparedRow(
  name: string,
  measured: Compared,
  extra: { unit?: string; maxRatio?: number } = {},
): BenchRow {
  return row({
    name,
    value: measured.value,
    baseline: measured.baseline,
    ratio: measured.ratio,
    unit: extra.unit ?? 'ms',
    spread: measured.spread,
    samples: measured.samples,
    maxRatio: extra.maxRatio,
  })
}

/** A row from a repeated measurement (median, spread of the round medians). */
export function measuredRow(
  name: string,
  measured: Measured,
  extra: { unit?: string; maxValue?: number } = {},
): BenchRow {
  return row({
    name,
    value: measured.value,
    unit: extra.unit ?? 'ms',
    spread: measured.spread,
    samples: measured.samples,
    maxValue: extra.maxValue,
  })
}

const fmt = (n: number | null) =>
  n === null
    ? ''
    : Math.abs(n) >= 100
      ? Math.round(n).toLocaleString('en-US')
      : Math.abs(n) >= 10
        ? n.toFixed(1)
        : n.toFixed(3)

const spreadOf = (r: BenchRow) => {
  if (!r.spread) return ''
  const [low, high] = r.spread
  return r.ratio !== null
    ? `${low.toFixed(2)}–${high.toFixed(2)}×`
    : `${fmt(low)}–${fmt(high)} ${r.unit}`
}

export function formatTable(rows: BenchRow[]): string {
  const header = ['benchmark', 'value', 'unit', 'baseline', 'ratio', 'spread', 'goal', 'met']
  const body = rows.map((r) => [
    r.name,
    fmt(r.value),
    r.unit,
    fmt(r.baseline),
    r.ratio === null ? '' : `${r.ratio.toFixed(2)}×`,
    spreadOf(r),
    r.goal ?? '',
    r.met === null ? '' : r.met ? 'yes' : 'NO',
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)))
  const left = new Set([0, 2, 6])
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (left.has(i) ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n')
}

export async function writeResults(file: string, rows: BenchRow[]): Promise<void> {
  await writeFile(file, `${JSON.stringify(rows, null, 2)}\n`)
}
