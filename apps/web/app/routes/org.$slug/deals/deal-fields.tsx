import { VISIBILITIES, VISIBILITY_HELP, type Visibility } from '#app/lib/deal-access.ts'
import { capitalize } from './deal-badges.tsx'

/** Radio buttons for a deal's visibility, each with what it means. */
export function VisibilityRadios({
  name = 'visibility',
  defaultValue,
  errors,
  legend = 'Who can see it',
  layout = 'row',
}: {
  name?: string
  /** Side by side from small screens on, or always stacked (narrow columns). */
  layout?: 'row' | 'stack'
  defaultValue: Visibility
  errors?: string[]
  legend?: string
}) {
  const errorId = `${name}-error`
  return (
    <fieldset aria-describedby={errors?.length ? errorId : undefined}>
      <legend className="text-sm font-medium text-zinc-800">{legend}</legend>
      <div className={layout === 'row' ? 'mt-2 grid gap-2 sm:grid-cols-3' : 'mt-2 grid gap-2'}>
        {VISIBILITIES.map((visibility) => (
          <label
            key={visibility}
            className="flex cursor-pointer gap-2.5 rounded-lg p-3 ring-1 ring-zinc-200 ring-inset has-[:checked]:bg-indigo-50/60 has-[:checked]:ring-2 has-[:checked]:ring-indigo-600 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-600"
          >
            <input
              type="radio"
              name={name}
              value={visibility}
              defaultChecked={defaultValue === visibility}
              aria-labelledby={`${name}-${visibility}-label`}
              aria-describedby={`${name}-${visibility}-help`}
              className="mt-0.5 size-4 shrink-0 accent-indigo-600"
            />
            <span className="text-sm">
              <span id={`${name}-${visibility}-label`} className="block font-medium text-zinc-900">
                {capitalize(visibility)}
              </span>
              <span id={`${name}-${visibility}-help`} className="block text-xs text-zinc-500">
                {VISIBILITY_HELP[visibility]}
              </span>
            </span>
          </label>
        ))}
      </div>
      {errors?.length ? (
        <p id={errorId} className="mt-1.5 text-sm text-red-600">
          {errors.join(' ')}
        </p>
      ) : null}
    </fieldset>
  )
}
