import { Hono } from 'hono'
import type { GatewayContext } from '#src/gateway/context.ts'
import { registerBucketRoutes } from '#src/storage/buckets.ts'
import { StorageError, storageErrorResponse } from '#src/storage/errors.ts'
import { registerListingRoutes } from '#src/storage/listing.ts'
import { registerGenericObjectRoutes, registerObjectRoutes } from '#src/storage/objects.ts'
import { createStorageService } from '#src/storage/service.ts'
import { registerSigningRoutes } from '#src/storage/signing.ts'
import { createUploader } from '#src/storage/upload.ts'

/**
 * Supabase Storage on local disk. Every access decision is the row operation on storage.objects
 * run as the caller (so the project's storage policies decide); the real row is then written
 * as the service role, like storage:src/storage/uploader.ts. Routes are registered from the
 * most specific paths to the generic /object/:bucket/*.
 */
export function createStorageRoutes(ctx: GatewayContext): Hono {
  const app = new Hono()
  const svc = createStorageService(ctx)
  const { store } = createUploader(svc)
  app.onError((error, c) =>
    storageErrorResponse(c, error instanceof StorageError ? error : svc.translate(error)),
  )
  registerBucketRoutes(app, svc)
  registerSigningRoutes(app, svc, store)
  registerObjectRoutes(app, svc)
  registerListingRoutes(app, svc)
  registerGenericObjectRoutes(app, svc, store)
  app.notFound((c) =>
    storageErrorResponse(c, new StorageError(404, 'NotFound', 'Not Found', 'Route not found')),
  )
  return app
}
