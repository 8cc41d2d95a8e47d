import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createClient } from '@supabase/supabase-js'
import autocannon from 'autocannon'
import type pg from 'pg'
import { compareInBlocks, median, sample } from '#src/measure.ts'
import { type BenchRow, comparedRow, row } from '#src/report.ts'

/** The gateway's cost over a direct connection, its throughput, and storage streaming. */
export async function stackBench(
  status: { api_url: string; anon_key: string; service_role_key: string },
  authenticator: pg.Pool,
  log: (s: string) => void,
): Promise<BenchRow[]> {
  const anon = createClient(status.api_url, status.anon_key, { auth: { persistSession: false } })
  // Interleaved blocks: on a shared machine, load that comes and goes hits the gateway and the
  // direct call alike instead of whichever ran during it.
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
    { rounds: 10, perBlock: 30, warmup: 30 },
  )
  const rows: BenchRow[] = [
    comparedRow('supabase.rpc() through the gateway vs direct connection', rpc, { maxRatio: 4 }),
  ]
  const throughput = new Map<number, number>()
  for (const connections of [1, 8, 32]) {
    log(`load: ${connections} concurrent clients`)
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
      duration: 3,
      // The load comes from its own thread, as it comes from other processes in use (browsers,
      // the app server, test workers): on the gateway's event loop it would take the CPU the
      // gateway is being measured on.
      workers: 1,
    })
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`load test saw ${result.non2xx} non-2xx and ${result.errors} errors`)
    throughput.set(connections, result.requests.average)
    rows.push(
      row({
        name: `RPC requests/s, ${connections} concurrent client(s)`,
        value: result.requests.average,
        unit: 'req/s',
      }),
    )
  }
  // Requests that wait on the database (or on a timer) leave the gateway idle at one client;
  // eight clients should then get through well over twice as many.
  rows.push(
    row({
      name: 'RPC throughput, 8 concurrent clients / 1 client',
      value: (throughput.get(8) ?? 0) / (throughput.get(1) ?? Number.NaN),
      unit: '×',
      minValue: 2,
    }),
  )

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
