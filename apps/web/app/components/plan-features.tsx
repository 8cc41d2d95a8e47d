import { Icon } from '#app/components/icons.tsx'
import { cn } from '#app/components/ui/cn.ts'
import type { PlanFeature } from '#app/lib/plans.ts'

/** A plan's features as a checklist; features not included are greyed and say so. */
export function FeatureList({ features, empty }: { features: PlanFeature[]; empty?: string }) {
  if (!features.length) {
    return empty ? <p className="mt-4 text-sm text-zinc-500">{empty}</p> : null
  }
  return (
    <ul className="mt-4 space-y-1.5 text-sm">
      {features.map((feature) => (
        <li
          key={feature.key}
          className={cn(
            'flex items-center gap-2',
            feature.included ? 'text-zinc-700' : 'text-zinc-500',
          )}
        >
          <Icon
            name={feature.included ? 'check' : 'minus'}
            className={cn(
              'size-4 shrink-0',
              feature.included ? 'text-indigo-600' : 'text-zinc-400',
            )}
          />
          <span className={feature.included ? undefined : 'line-through decoration-zinc-300'}>
            {feature.label}
            {feature.included ? null : <span className="sr-only"> (not included)</span>}
          </span>
        </li>
      ))}
    </ul>
  )
}
