import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { rpc } from '@tenantbase/schemas/rpc'
import { z } from 'zod'
import { FormMessage } from '#app/components/form-message.tsx'
import { OrgErrorBoundary } from '#app/components/org-error-boundary.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Card, CardBody, CardHeader } from '#app/components/ui/card.tsx'
import { Field, TextField } from '#app/components/ui/field.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { Textarea } from '#app/components/ui/textarea.tsx'
import { formRefusal, loaderRefusal } from '#app/lib/errors.server.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { parseForm } from '#app/lib/forms.server.ts'
import { type FormResult, failureOf, resultFor } from '#app/lib/forms.ts'
import { respond } from '#app/lib/http.server.ts'
import { requirePlatformAdmin } from '#app/lib/platform.server.ts'

export const ErrorBoundary = OrgErrorBoundary

export const meta: MetaFunction = () => [{ title: 'Settings · Platform admin · Tenantbase' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePlatformAdmin(request)
  const settings = await rpc(admin.supabase, 'platform_get_settings', {}).catch(
    loaderRefusal(admin),
  )
  return respond(admin, {
    settings: settings.map((s) => ({
      key: s.key ?? '',
      value: JSON.stringify(s.value ?? null, null, 2),
      description: s.description,
      updatedAt: s.updated_at,
    })),
  })
}

type Json = z.infer<ReturnType<typeof z.json>>
const schema = z.object({
  intent: z.enum(['save', 'create']),
  key: z
    .string()
    .trim()
    .regex(
      /^[a-z][a-z0-9_.]*$/,
      'Use lower-case letters, digits, dots and underscores, starting with a letter',
    )
    .max(100),
  value: z.string().transform((text, ctx): Json => {
    try {
      return JSON.parse(text)
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Write a JSON value: true, 3, "text", {"a": 1}' })
      return z.NEVER
    }
  }),
})

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePlatformAdmin(request)
  const formData = await request.formData()
  const form = parseForm(formData, schema)
  if (!form.ok)
    return respond(admin, { ...form, target: String(formData.get('key') ?? '') }, { status: 400 })
  const { intent, key, value } = form.data
  try {
    await rpc(admin.supabase, 'platform_set_setting', { p_key: key, p_value: value })
  } catch (error) {
    return formRefusal(admin, error, {
      intent,
      target: key,
      values: { key, value: String(formData.get('value') ?? '') },
    })
  }
  return respond(admin, {
    ok: true,
    intent,
    target: key,
    message: `${key} saved.`,
  } satisfies FormResult)
}

export default function PlatformSettings() {
  const { settings } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const submittingKey =
    navigation.state !== 'idle' && navigation.formData?.get('intent') === 'save'
      ? navigation.formData.get('key')
      : null
  const created = resultFor(result, 'create')
  return (
    <>
      <PageHeader
        title="Settings"
        description="Platform-wide settings, as JSON values. Every change goes to the action log."
      />
      <div className="space-y-4">
        {settings.map((setting) => {
          const saved = resultFor(result, 'save', setting.key)
          const failure = failureOf(saved)
          return (
            <Card key={setting.key}>
              <CardBody>
                <Form method="post" className="grid gap-3" noValidate>
                  <input type="hidden" name="intent" value="save" />
                  <input type="hidden" name="key" value={setting.key} />
                  <div className="flex flex-wrap items-baseline justify-between gap-2">
                    <h2 className="font-mono text-sm font-semibold text-zinc-900">{setting.key}</h2>
                    <span className="text-xs text-zinc-500">
                      Changed {formatDateTime(setting.updatedAt)}
                    </span>
                  </div>
                  <FormMessage result={saved} />
                  <Field
                    label={setting.description ?? 'Value'}
                    name="value"
                    errors={failure?.fieldErrors?.value}
                  >
                    {(props) => (
                      <Textarea
                        {...props}
                        rows={Math.min(6, setting.value.split('\n').length + 1)}
                        className="font-mono"
                        spellCheck={false}
                        defaultValue={failure?.values?.value ?? setting.value}
                      />
                    )}
                  </Field>
                  <div>
                    <Button
                      variant="secondary"
                      size="sm"
                      pending={submittingKey === setting.key}
                      aria-label={`Save ${setting.key}`}
                    >
                      Save
                    </Button>
                  </div>
                </Form>
              </CardBody>
            </Card>
          )
        })}
      </div>

      <Card className="mt-6 max-w-2xl">
        <CardHeader title="New setting" />
        <CardBody>
          <FormMessage result={created} className="mb-4" />
          <Form method="post" className="grid gap-4" noValidate key={created?.ok ? 'done' : 'form'}>
            <input type="hidden" name="intent" value="create" />
            <TextField
              label="Key"
              name="key"
              required
              autoCapitalize="none"
              spellCheck={false}
              defaultValue={failureOf(created)?.values?.key}
              errors={failureOf(created)?.fieldErrors?.key}
            />
            <Field
              label="Value (JSON)"
              name="value"
              errors={failureOf(created)?.fieldErrors?.value}
            >
              {(props) => (
                <Textarea
                  {...props}
                  rows={2}
                  className="font-mono"
                  spellCheck={false}
                  defaultValue={failureOf(created)?.values?.value ?? ''}
                />
              )}
            </Field>
            <div>
              <Button
                pending={
                  navigation.state !== 'idle' && navigation.formData?.get('intent') === 'create'
                }
              >
                Save setting
              </Button>
            </div>
          </Form>
        </CardBody>
      </Card>
    </>
  )
}
