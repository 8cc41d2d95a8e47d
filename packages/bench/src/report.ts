import { writeFile } from 'node:fs/promises'

/** One measured row: `ratio` = value / baseline; `goal` is the largest acceptable ratio or value. */
export type BenchRow = {
  name: string
  value: number
  unit: string
  baseline: number | null
  ratio: number | null
  goal: string | null
  met: boolean | null
}

export function row(input: {
  name: string
  value: number
  unit: string
  baseline?: number
  /** Goal on the ratio value/baseline (e.g. 1.5) … */
  maxRatio?: number
  /** … or on the value itself (e.g. 2 ms). */
  maxValue?: number
}): BenchRow {
  const baseline = input.baseline ?? null
  const ratio = baseline ? input.value / baseline : null
  let goal: string | null = null
  let met: boolean | null = null
  if (input.maxRatio !== undefined && ratio !== null) {
    goal = `≤ ${input.maxRatio}×`
    met = ratio <= input.maxRatio
  } else if (input.maxValue !== undefined) {
    goal = `≤ ${input.maxValue} ${input.unit}`
    met = input.value <= input.maxValue
  }
  return { name: input.name, value: input.value, unit: input.unit, baseline, ratio, goal, met }
}

const fmt = (n: number | null) =>
  n === null
    ? ''
    : Math.abs(n) >= 100
      ? n.toFixed(0)
      : Math.abs(n) >= 10
        ? n.toFixed(1)
        : n.toFixed(3)

export function formatTable(rows: BenchRow[]): string {
  const header = ['benchmark', 'value', 'unit', 'baseline', 'ratio', 'goal', 'met']
  const body = rows.map((r) => [
    r.name,
    fmt(r.value),
    r.unit,
    fmt(r.baseline),
    r.ratio === null ? '' : `${r.ratio.toFixed(2)}×`,
    r.goal ?? '',
    r.met === null ? '' : r.met ? 'yes' : 'NO',
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) =>
        i === 0 || i === 2 || i === 5 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0),
      )
      .join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n')
}

export async function writeResults(file: string, rows: BenchRow[]): Promise<void> {
  await writeFile(file, `${JSON.stringify(rows, null, 2)}\n`)
}
