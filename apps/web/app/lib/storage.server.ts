import { randomUUID } from 'node:crypto'
import type { SupabaseClient } from '@supabase/supabase-js'
import { env } from '#app/lib/env.server.ts'

/** What the public image buckets (logos, avatars) take: see packages/adapters/supabase/sql. */
export const IMAGE_TYPES: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
}
export const IMAGE_MAX_BYTES = 1024 * 1024

/** Why an uploaded image cannot be used, or null when it can. */
export function imageProblem(file: FormDataEntryValue | null): string | null {
  if (!(file instanceof File) || file.size === 0) return 'Choose an image to upload.'
  if (!IMAGE_TYPES[file.type]) return 'Use a PNG, JPEG, WebP or GIF image.'
  if (file.size > IMAGE_MAX_BYTES) return 'Use an image of at most 1 MB.'
  return null
}

/**
 * Uploads an image to `<bucket>/<folder>/<random>.<ext>` as the signed-in person: the bucket's
 * policies decide (organization.update for logos, one's own folder for avatars). A fresh name
 * per upload keeps caches of the previous picture from showing.
 */
export async function uploadImage(
  supabase: SupabaseClient,
  bucket: 'logos' | 'avatars',
  folder: string,
  file: File,
): Promise<{ path: string } | { error: string }> {
  const path = `${folder}/${randomUUID()}.${IMAGE_TYPES[file.type] ?? 'img'}`
  const { error } = await supabase.storage
    .from(bucket)
    .upload(path, file, { contentType: file.type, upsert: false })
  if (error) {
    const status = (error as { statusCode?: string }).statusCode
    return {
      error:
        status === '403' || /row-level security/i.test(error.message)
          ? 'You are not allowed to change this picture.'
          : status === '413'
            ? 'Use an image of at most 1 MB.'
            : `The image could not be stored: ${error.message}`,
    }
  }
  return { path }
}

/** The public URL of an object in a public bucket. */
export function publicUrl(bucket: string, path: string): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/')
  return `${env().SUPABASE_URL}/storage/v1/object/public/${bucket}/${encoded}`
}
