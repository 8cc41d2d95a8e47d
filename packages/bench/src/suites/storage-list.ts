import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import pg from 'pg'
import { compare } from '#src/measure.ts'
import { type BenchRow, comparedRow } from '#src/report.ts'
import type { RlsData } from '#src/seed.ts'

const PER_DEAL = 20
const FOLDER = 1000

/**
 * Listing at size through supabase-js: a folder of 1,000 objects, and a bucket of 100,000 at its
 * organization folder and at its root, as a member (the storage policies decide per object) vs
 * the service role (no RLS). The objects are rows of storage.objects only: listing never reads
 * the files.
 */
export async function storageListBench(
  superuserUrl: string,
  api: { url: string; anonKey: string; serviceRoleKey: string },
  data: RlsData,
  log: (s: string) => void,
): Promise<BenchRow[]> {
  const org = data.target.orgId
  const admin = new pg.Client({ connectionString: superuserUrl })
  await admin.connect()
  let folder: string
  // Every deal but one has 20 files; that one is the folder of 1,000.
  const total = (data.perOrg - 1) * PER_DEAL + FOLDER
  try {
    // 20 objects on each of the organization's 5,000 deals, 1,000 more in one public deal's
    // folder. Seeded without triggers: the metadata rows they would write play no part in a list.
    await admin.query('set session_replication_role = replica')
    const { rows } = await admin.query<{ id: string }>(
      `select id from app.deals where organization_id = $1 and visibility = 'public'
       order by created_at desc limit 1`,
      [org],
    )
    folder = `${org}/${rows[0]?.id}`
    log(`storage: seeding ${total.toLocaleString('en-US')} objects`)
    await admin.query(
      `insert into storage.objects (bucket_id, name, owner_id, metadata)
       select 'deals', d.organization_id || '/' || d.id || '/file-' || g || '.pdf', d.owner_id::text,
         '{"size": 1000, "mimetype": "application/pdf"}'
       from app.deals d, generate_series(1, $2) g where d.organization_id = $1 and d.id <> $3`,
      [org, PER_DEAL, rows[0]?.id],
    )
    await admin.query(
      `insert into storage.objects (bucket_id, name, owner_id, metadata)
       select 'deals', $1 || '/page-' || g || '.pdf', null, '{"size": 1000, "mimetype": "application/pdf"}'
       from generate_series(1, $2) g`,
      [folder, FOLDER],
    )
    await admin.query('vacuum analyze storage.objects')
  } finally {
    await admin.end()
  }

  const options = { auth: { persistSession: false, autoRefreshToken: false } }
  const service = createClient(api.url, api.serviceRoleKey, options)
  const member = createClient(api.url, api.anonKey, options)
  const signIn = await member.auth.signInWithPassword({
    email: 'mid@bench.test',
    password: 'password123',
  })
  if (signIn.error) throw signIn.error
  const list = async (client: SupabaseClient, prefix: string, limit: number) => {
    const { data: entries, error } = await client.storage.from('deals').list(prefix, { limit })
    if (error) throw error
    return entries
  }
  // Same answers: the member may read the public deal's files, and sees the organization folder.
  const [mine, all] = [await list(member, folder, FOLDER), await list(service, folder, FOLDER)]
  if (mine.length !== FOLDER || all.length !== FOLDER)
    throw new Error(`member lists ${mine.length} entries, the service role ${all.length}`)
  const [root] = await list(member, '', 100)
  if (root?.name !== org) throw new Error(`member's bucket root shows ${root?.name}, not ${org}`)
  const [mineOrg, allOrg] = [await list(member, org, 1000), await list(service, org, 1000)]
  if (mineOrg.length !== 1000 || allOrg.length !== 1000)
    throw new Error(
      `organization folder: member lists ${mineOrg.length}, the service role ${allOrg.length}`,
    )

  log('storage: listing a 1,000-object folder, the organization folder and the bucket root')
  const plan = { rounds: 5, perRound: 6, warmup: 2, budgetMs: 30_000 }
  const folderList = await compare(
    () => list(member, folder, FOLDER),
    () => list(service, folder, FOLDER),
    plan,
  )
  // Every object of the bucket is under the organization's folder: listing it lists the bucket
  // (5,000 record folders, the first 1,000 returned).
  const orgList = await compare(
    () => list(member, org, 1000),
    () => list(service, org, 1000),
    plan,
  )
  const rootList = await compare(
    () => list(member, '', 100),
    () => list(service, '', 100),
    plan,
  )
  const size = total.toLocaleString('en-US')
  return [
    comparedRow(
      `Storage list of a 1,000-object folder (bucket of ${size}), member vs service role`,
      folderList,
      { maxRatio: 2 },
    ),
    comparedRow(
      `Storage list of the bucket's ${size} objects at the organization folder (1,000 of 5,000 record folders), member vs service role`,
      orgList,
      { maxRatio: 2 },
    ),
    comparedRow(
      `Storage list of the bucket root (${size} objects), member vs service role`,
      rootList,
    ),
  ]
}
