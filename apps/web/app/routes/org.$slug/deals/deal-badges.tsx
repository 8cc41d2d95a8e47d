import { Badge } from '#app/components/ui/badge.tsx'

const VISIBILITY_TONES = { public: 'green', controlled: 'indigo', private: 'neutral' } as const
const STAGE_TONES = {
  lead: 'neutral',
  qualified: 'indigo',
  proposal: 'amber',
  won: 'green',
  lost: 'red',
} as const

export function VisibilityBadge({ visibility }: { visibility: string }) {
  const tone = VISIBILITY_TONES[visibility as keyof typeof VISIBILITY_TONES] ?? 'neutral'
  return <Badge tone={tone}>{capitalize(visibility)}</Badge>
}

export function StageBadge({ stage }: { stage: string | null }) {
  if (!stage) return <span className="text-zinc-400">—</span>
  const tone = STAGE_TONES[stage as keyof typeof STAGE_TONES] ?? 'neutral'
  return <Badge tone={tone}>{capitalize(stage)}</Badge>
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
