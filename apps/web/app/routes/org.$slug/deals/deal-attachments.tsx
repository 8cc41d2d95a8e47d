import { Form, useRevalidator } from '@remix-run/react'
import { type DragEvent, useEffect, useRef, useState } from 'react'
import { Alert } from '#app/components/ui/alert.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { cn } from '#app/components/ui/cn.ts'
import { EmptyState } from '#app/components/ui/empty-state.tsx'
import { Progress } from '#app/components/ui/progress.tsx'
import {
  acceptAttribute,
  describeLimits,
  type FileLimits,
  fileProblem,
  formatBytes,
  uploadFailureMessage,
} from '#app/lib/file-limits.ts'
import { formatDate } from '#app/lib/format.ts'
import type { FormResult } from '#app/lib/forms.ts'
import { useHydrated } from '#app/lib/use-hydrated.ts'
import { usePending } from '#app/lib/use-pending.ts'

export type AttachmentRow = {
  name: string
  size: number | null
  type: string | null
  updatedAt: string | null
  href: string
}

/** The files of a deal: download for everyone who sees it; add and remove with update access. */
export function AttachmentList({
  files,
  mayChange,
  result,
}: {
  files: AttachmentRow[]
  mayChange: boolean
  result: FormResult | undefined
}) {
  if (!files.length) {
    return (
      <EmptyState title="No files yet">
        {mayChange
          ? 'Add proposals, contracts or notes below.'
          : 'Files added by people who can edit this deal appear here.'}
      </EmptyState>
    )
  }
  return (
    <ul aria-label="Attachments" className="divide-y divide-zinc-100">
      {files.map((file) => (
        <li key={file.name} className="flex items-center gap-3 px-5 py-3">
          <FileIcon />
          <div className="min-w-0 flex-1">
            <a
              href={file.href}
              className="block truncate text-sm font-medium text-zinc-900 hover:text-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600"
              aria-label={`Download ${file.name}`}
            >
              {file.name}
            </a>
            <p className="text-xs text-zinc-500">
              {[file.size !== null ? formatBytes(file.size) : null, formatDate(file.updatedAt)]
                .filter(Boolean)
                .join(' · ')}
            </p>
            {result?.target === file.name && !result.ok && result.formError ? (
              <p role="alert" className="mt-1 text-sm text-red-600">
                {result.formError}
              </p>
            ) : null}
          </div>
          {mayChange ? <RemoveFileButton name={file.name} /> : null}
        </li>
      ))}
    </ul>
  )
}

function RemoveFileButton({ name }: { name: string }) {
  const pending = usePending('delete-file')
  return (
    <details className="relative">
      <summary className="cursor-pointer list-none rounded-lg px-2 py-1 text-sm font-medium text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-600 [&::-webkit-details-marker]:hidden">
        Remove<span className="sr-only"> {name}</span>
      </summary>
      <Form
        method="post"
        preventScrollReset
        className="absolute right-0 z-10 mt-1 w-56 rounded-xl bg-white p-3 shadow-lg ring-1 ring-zinc-200"
      >
        <input type="hidden" name="intent" value="delete-file" />
        <input type="hidden" name="target" value={name} />
        <p className="text-sm text-zinc-600">Remove this file for everyone?</p>
        <Button type="submit" variant="danger" size="sm" className="mt-2 w-full" pending={pending}>
          Remove file
        </Button>
      </Form>
    </details>
  )
}

type Upload = {
  id: number
  name: string
  size: number
  progress: number
  state: 'waiting' | 'uploading' | 'done' | 'failed'
  message?: string
}

/**
 * Adds files to a deal. With JavaScript: files dropped or chosen upload at once, straight to
 * Storage through a signed URL the server creates as the user (so the storage policy has
 * checked their right first), with a progress bar each. Without it: a plain multipart form
 * that the page's action uploads as the user.
 */
export function AttachmentUploader({
  limits,
  signUrl,
  result,
}: {
  limits: FileLimits
  /** The route that signs an upload: POST name, size, type, replace → { url } or { message }. */
  signUrl: string
  result: FormResult | undefined
}) {
  const hydrated = useHydrated()
  const revalidator = useRevalidator()
  const input = useRef<HTMLInputElement>(null)
  const replace = useRef<HTMLInputElement>(null)
  const nextId = useRef(1)
  const [uploads, setUploads] = useState<Upload[]>([])
  const [dragging, setDragging] = useState(false)
  const pending = usePending('upload-files')

  const update = (id: number, change: Partial<Upload>) =>
    setUploads((all) => all.map((u) => (u.id === id ? { ...u, ...change } : u)))

  async function uploadAll(files: File[]) {
    if (!files.length) return
    const queued = files.map((file) => ({ file, id: nextId.current++ }))
    setUploads((all) => [
      ...all.filter((u) => u.state === 'uploading' || u.state === 'waiting'),
      ...queued.map(({ file, id }) => ({
        id,
        name: file.name,
        size: file.size,
        progress: 0,
        state: 'waiting' as const,
      })),
    ])
    let stored = 0
    for (const { file, id } of queued) {
      const problem = fileProblem(limits, file)
      if (problem) {
        update(id, { state: 'failed', message: problem })
        continue
      }
      update(id, { state: 'uploading' })
      try {
        const name = await uploadOne(file, replace.current?.checked ?? false, signUrl, (p) =>
          update(id, { progress: p }),
        )
        update(id, { state: 'done', progress: 1, name })
        stored += 1
      } catch (error) {
        update(id, { state: 'failed', message: (error as Error).message })
      }
    }
    if (input.current) input.current.value = ''
    if (stored) revalidator.revalidate()
  }

  // Files chosen before the page's script ran would need the Upload button, which is gone once
  // it runs: they are sent as soon as it has.
  const sentEarlyChoice = useRef(false)
  useEffect(() => {
    if (!hydrated || sentEarlyChoice.current) return
    sentEarlyChoice.current = true
    void uploadAll([...(input.current?.files ?? [])])
  }, [hydrated])

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault()
    setDragging(false)
    void uploadAll([...event.dataTransfer.files])
  }

  const outcome = result && (result.intent === 'upload-files' ? result : undefined)
  return (
    <Form
      method="post"
      encType="multipart/form-data"
      preventScrollReset
      onSubmit={(event) => {
        if (!hydrated) return
        event.preventDefault()
        void uploadAll([...(input.current?.files ?? [])])
      }}
      className="space-y-3"
    >
      <input type="hidden" name="intent" value="upload-files" />
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping files is a pointer shortcut; the file input inside is the keyboard path */}
      <div
        onDragOver={(event) => {
          event.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={cn(
          'rounded-xl border-2 border-dashed px-4 py-6 text-center transition-colors',
          dragging ? 'border-indigo-500 bg-indigo-50/60' : 'border-zinc-300 bg-zinc-50/50',
        )}
      >
        <UploadIcon />
        <p className="mt-2 text-sm text-zinc-700">
          {hydrated ? 'Drag files here, or choose them.' : 'Choose files, then upload them.'}
        </p>
        <p id="attachment-limits" className="mt-1 text-xs text-zinc-500">
          {describeLimits(limits)}
        </p>
        <label htmlFor="attachment-files" className="sr-only">
          Choose files
        </label>
        <input
          ref={input}
          id="attachment-files"
          type="file"
          name="file"
          multiple
          accept={acceptAttribute(limits)}
          aria-describedby="attachment-limits"
          onChange={(event) => {
            if (hydrated) void uploadAll([...(event.currentTarget.files ?? [])])
          }}
          className="mx-auto mt-3 block max-w-full text-sm text-zinc-600 file:mr-3 file:rounded-lg file:border-0 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-zinc-900 file:shadow-sm file:ring-1 file:ring-zinc-300 file:ring-inset hover:file:bg-zinc-50"
        />
      </div>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <label className="flex items-center gap-2 text-sm text-zinc-700">
          <input
            ref={replace}
            type="checkbox"
            name="replace"
            value="on"
            className="size-4 rounded border-zinc-300 accent-indigo-600"
          />
          Replace files with the same name
        </label>
        {hydrated ? null : (
          <Button type="submit" size="sm" pending={pending}>
            Upload
          </Button>
        )}
      </div>
      {outcome?.ok === false && outcome.formError ? (
        <Alert tone="error">{outcome.formError}</Alert>
      ) : null}
      {outcome?.ok && outcome.message ? <Alert tone="success">{outcome.message}</Alert> : null}
      {uploads.length ? (
        <ul aria-label="Uploads" className="space-y-2">
          {uploads.map((upload) => (
            <li key={upload.id} className="rounded-lg px-3 py-2 ring-1 ring-zinc-200">
              <div className="flex items-baseline justify-between gap-3 text-sm">
                <span className="truncate font-medium text-zinc-900">{upload.name}</span>
                <span
                  className={cn(
                    'shrink-0 text-xs',
                    upload.state === 'failed' ? 'text-red-600' : 'text-zinc-500',
                  )}
                >
                  {upload.state === 'done'
                    ? 'Uploaded'
                    : upload.state === 'failed'
                      ? 'Not uploaded'
                      : upload.state === 'waiting'
                        ? 'Waiting'
                        : `${Math.round(upload.progress * 100)}% of ${formatBytes(upload.size)}`}
                </span>
              </div>
              {upload.state === 'failed' ? null : (
                <Progress
                  className="mt-1.5"
                  value={upload.progress}
                  tone={upload.state === 'done' ? 'green' : 'indigo'}
                  label={`Uploading ${upload.name}`}
                />
              )}
              {upload.message ? (
                <p role="alert" className="mt-1.5 text-sm text-red-600">
                  {upload.message}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </Form>
  )
}

/** Asks the app for a signed URL, then sends the bytes to Storage with progress events. */
async function uploadOne(
  file: File,
  replace: boolean,
  signUrl: string,
  onProgress: (fraction: number) => void,
): Promise<string> {
  const body = new FormData()
  body.set('name', file.name)
  body.set('size', String(file.size))
  body.set('type', file.type)
  if (replace) body.set('replace', 'on')
  const response = await fetch(signUrl, { method: 'POST', body })
  const signed = (await response.json().catch(() => ({}))) as {
    url?: string
    name?: string
    message?: string
  }
  if (!response.ok || !signed.url) {
    throw new Error(signed.message ?? 'The upload could not start. Try again in a moment.')
  }
  const url = signed.url
  await new Promise<void>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('PUT', url)
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream')
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total)
    }
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300
        ? resolve()
        : reject(new Error(uploadFailureMessage(xhr.status, xhr.responseText)))
    xhr.onerror = () =>
      reject(new Error('The upload was interrupted. Check your connection and try again.'))
    xhr.send(file)
  })
  return signed.name ?? file.name
}

function FileIcon() {
  return (
    <span
      aria-hidden="true"
      className="grid size-9 shrink-0 place-items-center rounded-lg bg-zinc-100 text-zinc-500"
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.5}
        className="size-5"
      >
        <path
          strokeLinecap="round"
          strokeLinejoin="round"
          d="M19.5 14.25v-2.63a3.38 3.38 0 0 0-3.38-3.37h-1.5a1.13 1.13 0 0 1-1.12-1.13v-1.5a3.38 3.38 0 0 0-3.38-3.37H8.25M10.5 2.25H5.63c-.62 0-1.13.5-1.13 1.13v17.25c0 .62.5 1.12 1.13 1.12h12.75c.62 0 1.12-.5 1.12-1.12V11.25a9 9 0 0 0-9-9Z"
        />
      </svg>
    </span>
  )
}

function UploadIcon() {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.5}
      className="mx-auto size-8 text-zinc-400"
    >
      <path
        strokeLinecap="round"
        strokeLinejoin="round"
        d="M3 16.5v2.25A2.25 2.25 0 0 0 5.25 21h13.5A2.25 2.25 0 0 0 21 18.75V16.5m-13.5-9L12 3m0 0 4.5 4.5M12 3v13.5"
      />
    </svg>
  )
}
