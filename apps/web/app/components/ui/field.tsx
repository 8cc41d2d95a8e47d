import { type ReactNode, useId } from 'react'
import { Input } from '#app/components/ui/input.tsx'
import { Label } from '#app/components/ui/label.tsx'
import { Select } from '#app/components/ui/select.tsx'

/** What a control needs to be tied to its label, description and errors. */
export type ControlProps = {
  id: string
  name: string
  'aria-invalid': true | undefined
  'aria-describedby': string | undefined
}

/**
 * A labelled form control with its description and errors, wired for assistive technology
 * (aria-invalid, aria-describedby). `children` renders the control from the props it gets.
 */
export function Field({
  label,
  name,
  errors,
  description,
  children,
  className,
}: {
  label: ReactNode
  name: string
  errors?: string[] | string | undefined
  description?: ReactNode
  children: (props: ControlProps) => ReactNode
  className?: string
}) {
  const id = useId()
  const list = typeof errors === 'string' ? [errors] : (errors ?? [])
  const descriptionId = description ? `${id}-description` : undefined
  const errorId = list.length ? `${id}-error` : undefined
  const describedBy = [descriptionId, errorId].filter(Boolean).join(' ') || undefined
  return (
    <div className={className}>
      <Label htmlFor={id}>{label}</Label>
      <div className="mt-1.5">
        {children({
          id,
          name,
          'aria-invalid': list.length ? true : undefined,
          'aria-describedby': describedBy,
        })}
      </div>
      {description ? (
        <p id={descriptionId} className="mt-1.5 text-xs text-zinc-500">
          {description}
        </p>
      ) : null}
      {errorId ? (
        <p id={errorId} className="mt-1.5 text-sm text-red-600">
          {list.join(' ')}
        </p>
      ) : null}
    </div>
  )
}

type TextFieldProps = Omit<React.InputHTMLAttributes<HTMLInputElement>, 'name'> & {
  label: ReactNode
  name: string
  errors?: string[] | string
  description?: ReactNode
}

export function TextField({
  label,
  name,
  errors,
  description,
  className,
  ...input
}: TextFieldProps) {
  return (
    <Field
      label={label}
      name={name}
      errors={errors}
      description={description}
      className={className}
    >
      {(props) => <Input {...props} {...input} />}
    </Field>
  )
}

type SelectFieldProps = Omit<React.SelectHTMLAttributes<HTMLSelectElement>, 'name'> & {
  label: ReactNode
  name: string
  errors?: string[] | string
  description?: ReactNode
  options: Array<{ value: string; label: string }>
}

export function SelectField({
  label,
  name,
  errors,
  description,
  options,
  className,
  ...select
}: SelectFieldProps) {
  return (
    <Field
      label={label}
      name={name}
      errors={errors}
      description={description}
      className={className}
    >
      {(props) => (
        <Select {...props} {...select}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </Select>
      )}
    </Field>
  )
}
