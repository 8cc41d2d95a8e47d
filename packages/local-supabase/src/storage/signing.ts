import type { Hono } from 'hono'
import { SignJWT } from 'jose'
import { notFound, StorageError } from '#src/storage/errors.ts'
import { type ObjectRow, type StorageService, secret } from '#src/storage/service.ts'
import type { Store } from '#src/storage/upload.ts'

/** Signed URLs: for uploads, for downloads one at a time or in batches, and serving them. */
export function registerSigningRoutes(app: Hono, svc: StorageService, store: Store) {
  const { asRole, caller, json, bucket, keyOf, send, readable, verifyUrlToken, sign } = svc
  app.post('/object/upload/sign/:bucket/*', async (c) => {
    const who = await caller(c)
    const bucketId = c.req.param('bucket')
    const name = keyOf(c, `/object/upload/sign/${bucketId}/`)
    const upsert = c.req.header('x-upsert') === 'true'
    await bucket(bucketId)
    await asRole(
      who,
      (db) =>
        db.query(
          // With x-upsert the URL may overwrite: probe the upsert, as the upload will run it.
          `insert into storage.objects (bucket_id, name, owner_id, version) values ($1, $2, $3, 'probe')
           ${upsert ? "on conflict (bucket_id, name) do update set version = 'probe' returning id" : ''}`,
          [bucketId, name, who.claims.sub ?? null],
        ),
      true,
    )
    const token = await new SignJWT({
      owner: who.claims.sub,
      url: `${bucketId}/${name}`,
      upsert,
      scope: 'upload',
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(secret)
    return c.json({
      url: `/object/upload/sign/${bucketId}/${name}?token=${token}`,
      token,
    })
  })
  app.put('/object/upload/sign/:bucket/*', async (c) => {
    const bucketId = c.req.param('bucket')
    const name = keyOf(c, `/object/upload/sign/${bucketId}/`)
    const payload = await verifyUrlToken(c.req.query('token'), `${bucketId}/${name}`, 'upload')
    return store(
      c,
      bucketId,
      name,
      (payload.owner as string | undefined) ?? null,
      payload.upsert === true,
      null,
    )
  })

  app.get('/object/sign/:bucket/*', async (c) => {
    const bucketId = c.req.param('bucket')
    const name = keyOf(c, `/object/sign/${bucketId}/`)
    await verifyUrlToken(c.req.query('token'), `${bucketId}/${name}`, 'download')
    const row = await asRole(
      'service_role',
      async (db) =>
        (
          await db.query<ObjectRow>(
            'select * from storage.objects where bucket_id = $1 and name = $2',
            [bucketId, name],
          )
        ).rows[0],
    )
    if (!row) throw notFound()
    return send(c, row)
  })

  app.post('/object/sign/:bucket', async (c) => {
    const who = await caller(c)
    const bucketId = c.req.param('bucket')
    const input = await json(c)
    const paths = Array.isArray(input.paths) ? (input.paths as string[]) : []
    const expiresIn = Number(input.expiresIn)
    const visible = await asRole(
      who,
      async (db) =>
        new Set(
          (
            await db.query<{ name: string }>(
              'select name from storage.objects where bucket_id = $1 and name = any ($2)',
              [bucketId, paths],
            )
          ).rows.map((r) => r.name),
        ),
    )
    return c.json(
      await Promise.all(
        paths.map(async (p) =>
          visible.has(p)
            ? { error: null, path: p, signedURL: await sign(bucketId, p, expiresIn) }
            : {
                error: 'Either the object does not exist or you do not have access to it',
                path: p,
                signedURL: null,
              },
        ),
      ),
    )
  })

  app.post('/object/sign/:bucket/*', async (c) => {
    const who = await caller(c)
    const bucketId = c.req.param('bucket')
    const name = keyOf(c, `/object/sign/${bucketId}/`)
    const input = await json(c)
    const expiresIn = Number(input.expiresIn)
    if (!Number.isInteger(expiresIn) || expiresIn < 1)
      throw new StorageError(
        400,
        'InvalidRequest',
        'Bad Request',
        'expiresIn must be a positive integer',
      )
    await readable(who, bucketId, name)
    return c.json({ signedURL: await sign(bucketId, name, expiresIn) })
  })
}
