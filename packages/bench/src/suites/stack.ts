import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { createClient } from '@supabase/supabase-js'
import autocannon from 'autocannon'
import type pg from 'pg'
import { compareInBlocks, median, sample } from '#src/measure.ts'
import { processTreeCpu } from '#src/process-cpu.ts'
import { type BenchRow, comparedRow, row } from '#src/report.ts'

/** The gateway's cost over a direct connection, its throughput, and storage streaming. */
export async function stackBench(
  status: { api_url: string; anon_key: string; service_role_key: string },
  authenticator: pg.Pool,
  log: (s: string) => void,
  database: { pid(): number | undefined },
): Promise<BenchRow[]> {
  const anon = createClient(status.api_url, status.anon_key, { auth: { persistSession: false } })
  // Interleaved blocks: on a shared machine, load that comes and goes hits the gateway and the
  // direct call alike instead of whichever ran during it. A thousand calls of each side first,
  // so both run compiled and warm (a few dozen left the gateway's round trip 1.5× its steady
  // state, with most of its code still interpreted).
  const rpc = await compareInBlocks(
    async () => await anon.rpc('list_subscription_products'),
    async () => {
      // PostgREST's transaction for this call, on a pooled authenticator connection.
      const client = await authenticator.connect()
      try {
        await client.query('begin read only')
        await client.query(
          `select set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true)`,
        )
        await client.query(
          "select coalesce(json_agg(t), '[]') from public.list_subscription_products() t",
        )
        await client.query('commit')
      } finally {
        client.release()
      }
    },
    { rounds: 20, perBlock: 50, warmup: 1000 },
  )
  const rows: BenchRow[] = [
    comparedRow('supabase.rpc() through the gateway vs direct connection', rpc, { maxRatio: 4 }),
  ]
  rows.push(...(await throughputRows(status, log, database)))
  const service = createClient(status.api_url, status.service_role_key, {
    auth: { persistSession: false },
  })
  await service.storage.createBucket('bench', { public: false })
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tenantbase-bench-'))
  try {
    for (const mb of [1, 20]) {
      const bytes = Buffer.alloc(mb * 1024 * 1024, 1)
      const file = path.join(dir, `${mb}mb.bin`)
      await writeFile(file, bytes)
      const upload = median(
        await sample(
          (i) =>
            service.storage.from('bench').upload(`f-${mb}-${i}.bin`, bytes, {
              contentType: 'application/octet-stream',
              upsert: true,
            }),
          { runs: 5, warmup: 1 },
        ),
      )
      const download = median(
        await sample(
          () =>
            service.storage
              .from('bench')
              .download(`f-${mb}-0.bin`)
              .then((r) => r.data?.arrayBuffer()),
          { runs: 5, warmup: 1 },
        ),
      )
      const disk = median(await sample(() => readFile(file), { runs: 5, warmup: 1 }))
      rows.push(
        row({
          name: `Storage upload ${mb} MB (supabase-js) vs disk read`,
          value: upload,
          unit: 'ms',
          baseline: disk,
        }),
      )
      rows.push(
        row({
          name: `Storage download ${mb} MB (supabase-js) vs disk read`,
          value: download,
          unit: 'ms',
          baseline: disk,
        }),
      )
    }
    // Live memory while streaming 40 MB up and down: a gateway that buffered whole files would
    // hold at least the file; streaming holds a few chunks.
    const file = path.join(dir, 'stream-40.bin')
    await writeFile(file, Buffer.alloc(40 * 1024 * 1024, 2))
    gcNow()
    const peak = await streamingPeak(status, file, 'stream-40.bin')
    rows.push(
      row({
        name: 'Live memory peak streaming 40 MB up and down',
        value: peak,
        unit: 'MB',
        maxValue: 10,
      }),
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  return rows
}

type Load = { perSecond: number; cpu: number | undefined; wallUs: number }

/**
 * Requests per second at 1, 8 and 32 clients (autocannon from a worker thread: the load comes
 * from other processes in use, browsers, the app server, test workers, and on the gateway's
 * event loop it would take the CPU the gateway is measured on). 1 and 8 clients alternate in
 * three pairs, the ratio being the median of the pairs' ratios, as a burst of load elsewhere on
 * the machine moves one run. At 1 client the CPU that the gateway, the load generator and
 * PostgreSQL use is measured as well: when they keep more than one core busy at one client,
 * more clients can gain at most cores / that, whatever the gateway does.
 */
async function throughputRows(
  status: { api_url: string; anon_key: string },
  log: (s: string) => void,
  database: { pid(): number | undefined },
): Promise<BenchRow[]> {
  const databaseCpu = async () => {
    const pid = database.pid()
    return pid === undefined ? undefined : await processTreeCpu(pid)
  }
  const load = async (connections: number, duration: number): Promise<Load> => {
    const pgBefore = await databaseCpu()
    const before = process.cpuUsage()
    const started = performance.now()
    const result = await autocannon({
      url: `${status.api_url}/rest/v1/rpc/list_subscription_products`,
      method: 'POST',
      headers: {
        apikey: status.anon_key,
        authorization: `Bearer ${status.anon_key}`,
        'content-type': 'application/json',
      },
      body: '{}',
      connections,
      duration,
      workers: 1,
    })
    const wallUs = (performance.now() - started) * 1000
    const own = process.cpuUsage(before)
    const pgAfter = await databaseCpu()
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`load test saw ${result.non2xx} non-2xx and ${result.errors} errors`)
    const cpu =
      pgBefore === undefined || pgAfter === undefined
        ? undefined
        : own.user + own.system + (pgAfter - pgBefore)
    return { perSecond: result.requests.average, cpu, wallUs }
  }
  log('load: warming up')
  await load(8, 2)
  const one: Load[] = []
  const eight: Load[] = []
  const ratios: number[] = []
  for (let pair = 0; pair < 3; pair++) {
    log(`load: 1 and 8 concurrent clients, pair ${pair + 1} of 3`)
    const order = pair % 2 === 0 ? [1, 8] : [8, 1]
    const runs = new Map<number, Load>()
    for (const connections of order) runs.set(connections, await load(connections, 3))
    const a = runs.get(1) as Load
    const b = runs.get(8) as Load
    one.push(a)
    eight.push(b)
    ratios.push(b.perSecond / a.perSecond)
  }
  log('load: 32 concurrent clients')
  const many = await load(32, 3)
  const perSecond = (runs: Load[]) => runs.map((r) => r.perSecond)
  const rows: BenchRow[] = [
    row({
      name: 'RPC requests/s, 1 concurrent client(s)',
      value: median(perSecond(one)),
      unit: 'req/s',
      spread: range(perSecond(one)),
    }),
    row({
      name: 'RPC requests/s, 8 concurrent client(s)',
      value: median(perSecond(eight)),
      unit: 'req/s',
      spread: range(perSecond(eight)),
    }),
    row({ name: 'RPC requests/s, 32 concurrent client(s)', value: many.perSecond, unit: 'req/s' }),
    row({
      name: 'RPC throughput, 8 concurrent clients / 1 client',
      value: median(ratios),
      unit: '×',
      spread: range(ratios),
      minValue: 2,
    }),
  ]
  const busy = one.flatMap((r) => (r.cpu === undefined ? [] : [r.cpu / r.wallUs]))
  if (busy.length === one.length) {
    const cores = os.availableParallelism()
    rows.push(
      row({
        name: 'Cores busy at 1 client (gateway, load generator, PostgreSQL)',
        value: median(busy),
        unit: 'cores',
        spread: range(busy),
      }),
      row({
        name: `Most 8 clients can gain over 1 on ${cores} cores (cores / cores busy)`,
        value: cores / median(busy),
        unit: '×',
      }),
    )
  }
  return rows
}

const range = (values: number[]): [number, number] => [Math.min(...values), Math.max(...values)]

/**
 * Streams a file up and down through the storage endpoints supabase-js uses, from a separate
 * client process, and reports the peak of live heap + buffers in this process, where only the
 * gateway runs: far below the file size means the gateway never holds a whole file.
 */
const gcNow = () => (globalThis as { gc?: () => void }).gc?.()

async function streamingPeak(
  status: { api_url: string; service_role_key: string },
  file: string,
  name: string,
) {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const used = () => {
    const m = process.memoryUsage()
    return m.heapUsed + m.arrayBuffers
  }
  const baseline = used()
  let peak = baseline
  // Collect before each sample, so the peak is memory still in use (chunks in flight, or a
  // whole buffered file), not garbage waiting for the collector.
  const timer = setInterval(() => {
    gc?.()
    peak = Math.max(peak, used())
  }, 5)
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [
          path.join(import.meta.dirname, 'stream-client.ts'),
          status.api_url,
          status.service_role_key,
          file,
          name,
        ],
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stdout}${stderr}`)) : resolve(),
      )
    })
  } finally {
    clearInterval(timer)
  }
  return (peak - baseline) / 1024 / 1024
}
