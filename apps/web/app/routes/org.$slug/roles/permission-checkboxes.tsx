/**
 * Checkboxes for permission codes, grouped by resource (`deals.read` under "deals"). Only the
 * codes the viewer may grant are passed in; the form sends the ticked ones as `permission`.
 */
export function PermissionCheckboxes({
  idPrefix,
  options,
  checked,
  inherited = [],
  legend = 'Permissions',
  description,
}: {
  idPrefix: string
  options: Array<{ code: string; description: string }>
  checked: string[]
  /** Codes the role already holds through a role below it. */
  inherited?: string[]
  legend?: string
  description?: string
}) {
  const groups = new Map<string, typeof options>()
  for (const option of options) {
    const resource = option.code.split('.')[0] ?? option.code
    groups.set(resource, [...(groups.get(resource) ?? []), option])
  }
  return (
    <fieldset>
      <legend className="text-sm font-medium text-zinc-800">{legend}</legend>
      {description ? <p className="mt-0.5 text-xs text-zinc-500">{description}</p> : null}
      {options.length === 0 ? (
        <p className="mt-2 text-sm text-zinc-500">You hold no permissions you could grant.</p>
      ) : (
        <div className="mt-2 space-y-3">
          {[...groups].map(([resource, codes]) => (
            <div key={resource}>
              <p className="text-xs font-medium tracking-wide text-zinc-500 uppercase">
                {resource}
              </p>
              <ul className="mt-1 space-y-1">
                {codes.map((option) => {
                  const id = `${idPrefix}-${option.code}`
                  return (
                    <li key={option.code} className="flex items-start gap-2.5">
                      <input
                        type="checkbox"
                        id={id}
                        name="permission"
                        value={option.code}
                        defaultChecked={checked.includes(option.code)}
                        aria-describedby={`${id}-description`}
                        className="mt-0.5 size-4 shrink-0 rounded border-zinc-300 text-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600"
                      />
                      <span className="min-w-0 text-sm leading-5">
                        <label htmlFor={id} className="font-mono text-[13px] text-zinc-900">
                          {option.code}
                        </label>
                        <span id={`${id}-description`} className="block text-xs text-zinc-500">
                          {option.description}
                          {inherited.includes(option.code) && !checked.includes(option.code)
                            ? ' · already held through a role below'
                            : ''}
                        </span>
                      </span>
                    </li>
                  )
                })}
              </ul>
            </div>
          ))}
        </div>
      )}
    </fieldset>
  )
}
