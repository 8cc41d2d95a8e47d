import type { SupabaseClient } from '@supabase/supabase-js'
import type { FileLimits } from '#app/lib/file-limits.ts'
import { serviceClient } from '#app/lib/service.server.ts'

/**
 * Files attached to deals: the private bucket `deals`, object names
 * `<organization_id>/<deal_id>/<file name>`. Every call but the bucket's limits runs as the
 * signed-in user, so the storage policies decide with the access engine: listing and
 * downloading need read access to the deal; uploading, replacing and removing need update
 * access (packages/adapters/supabase/sql/130-storage.sql).
 */
export const DEALS_BUCKET = 'deals'

export type DealFile = {
  name: string
  size: number | null
  type: string | null
  updatedAt: string | null
}

export function dealFilePath(organizationId: string, dealId: string, fileName: string): string {
  return `${organizationId}/${dealId}/${fileName}`
}

let cachedLimits: { at: number; limits: FileLimits } | undefined
const LIMITS_TTL_MS = 60_000

/**
 * The bucket's size limit and accepted types. Members cannot read storage.buckets (no policy
 * lets them), so this one read uses the service key; it returns nothing about any record.
 */
export async function dealFileLimits(): Promise<FileLimits> {
  if (cachedLimits && Date.now() - cachedLimits.at < LIMITS_TTL_MS) return cachedLimits.limits
  const { data, error } = await serviceClient().storage.getBucket(DEALS_BUCKET)
  if (error) throw error
  // A bigint column: some Storage versions send it as a string.
  const maxBytes = Number(data.file_size_limit)
  const limits: FileLimits = {
    maxBytes: Number.isFinite(maxBytes) && maxBytes > 0 ? maxBytes : null,
    allowedTypes: data.allowed_mime_types ?? [],
  }
  cachedLimits = { at: Date.now(), limits }
  return limits
}

export async function listDealFiles(
  supabase: SupabaseClient,
  organizationId: string,
  dealId: string,
): Promise<DealFile[]> {
  const { data, error } = await supabase.storage
    .from(DEALS_BUCKET)
    .list(`${organizationId}/${dealId}`, { limit: 1000, sortBy: { column: 'name', order: 'asc' } })
  if (error) throw error
  return (
    data
      // Folders (id null) and the dashboard's placeholder are not files.
      .filter((entry) => entry.id && entry.name !== '.emptyFolderPlaceholder')
      .map((entry) => ({
        name: entry.name,
        size: typeof entry.metadata?.size === 'number' ? entry.metadata.size : null,
        type: typeof entry.metadata?.mimetype === 'string' ? entry.metadata.mimetype : null,
        updatedAt: entry.updated_at ?? entry.created_at ?? null,
      }))
  )
}

/**
 * A URL the browser uploads one file to (PUT, within two hours). Creating it checks, as the
 * user, that they may write this object: the storage policy asks the access engine.
 */
export async function signDealUpload(
  supabase: SupabaseClient,
  path: string,
  options: { replace: boolean },
): Promise<string> {
  const { data, error } = await supabase.storage
    .from(DEALS_BUCKET)
    .createSignedUploadUrl(path, { upsert: options.replace })
  if (error) throw error
  return data.signedUrl
}

/** Uploads through the app server (the form without JavaScript), as the user. */
export async function uploadDealFile(
  supabase: SupabaseClient,
  path: string,
  file: File,
  options: { replace: boolean },
): Promise<void> {
  const { error } = await supabase.storage.from(DEALS_BUCKET).upload(path, file, {
    contentType: file.type || 'application/octet-stream',
    upsert: options.replace,
  })
  if (error) throw error
}

/** A short-lived link that downloads the file under its own name, created as the user. */
export async function signDealDownload(
  supabase: SupabaseClient,
  path: string,
  fileName: string,
): Promise<string> {
  const { data, error } = await supabase.storage
    .from(DEALS_BUCKET)
    .createSignedUrl(path, 60, { download: fileName })
  if (error) throw error
  return data.signedUrl
}

/** Removes the file as the user; false when nothing was removed (gone, or not theirs to remove). */
export async function removeDealFile(supabase: SupabaseClient, path: string): Promise<boolean> {
  const { data, error } = await supabase.storage.from(DEALS_BUCKET).remove([path])
  if (error) throw error
  return data.length > 0
}
