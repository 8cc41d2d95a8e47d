import { lazy, Suspense } from 'react'
import { useHydrated } from '#app/lib/use-hydrated.ts'
import { NODE_HEIGHT, NODE_WIDTH, type RoleGraphLayout } from './role-graph-layout.ts'

export type RoleGraphProps = {
  layout: RoleGraphLayout
  selectedId: string | null
  myRoleId: string
  /** Roles the viewer may change (drawn as editable). */
  manageableIds: string[]
  /** Where choosing a role leads (the page with that role selected). */
  hrefFor: (roleId: string) => string
}

// xyflow measures the DOM and runs only in the browser: it is loaded after hydration, and the
// server (and a browser without JavaScript) draws the same layout as a static SVG.
const RoleGraphCanvas = lazy(() => import('./role-graph-canvas.client.tsx'))

/** The role DAG: interactive (pan, zoom, choose a role) in the browser, a drawing before that. */
export function RoleGraph(props: RoleGraphProps) {
  const hydrated = useHydrated()
  return (
    <div
      // The canvas' attribution link keeps enough contrast on the card (xyflow's unlayered CSS
      // would beat plain utilities, hence !).
      className="relative h-80 w-full sm:h-[26rem] [&_.react-flow\_\_attribution]:bg-white/90! [&_.react-flow\_\_attribution_a]:text-zinc-600!"
      data-testid="role-graph"
    >
      {hydrated ? (
        <Suspense fallback={<StaticRoleGraph {...props} />}>
          <RoleGraphCanvas {...props} />
        </Suspense>
      ) : (
        <StaticRoleGraph {...props} />
      )}
    </div>
  )
}

/** Node colours shared by the drawing and the canvas. */
export function nodeTone(
  props: Pick<RoleGraphProps, 'selectedId' | 'myRoleId' | 'manageableIds'>,
  id: string,
): { fill: string; stroke: string; strokeWidth: number; text: string } {
  const selected = props.selectedId === id
  const manageable = props.manageableIds.includes(id)
  return {
    fill: props.myRoleId === id ? '#eef2ff' : manageable ? '#ffffff' : '#f4f4f5',
    stroke: selected ? '#4f46e5' : props.myRoleId === id ? '#a5b4fc' : '#d4d4d8',
    strokeWidth: selected ? 2 : 1,
    text: manageable || props.myRoleId === id ? '#18181b' : '#52525b',
  }
}

export function nodeCaption(role: { memberCount: number; isRoot: boolean }): string {
  const members = `${role.memberCount} ${role.memberCount === 1 ? 'member' : 'members'}`
  return role.isRoot ? `Owner role · ${members}` : members
}

/** Same picture, no JavaScript: boxes and edges from the layout; each role is a link. */
export function StaticRoleGraph({
  layout,
  selectedId,
  myRoleId,
  manageableIds,
  hrefFor,
}: RoleGraphProps) {
  const padding = 8
  return (
    // A nav, not an image: its roles are links (an image would hide them).
    <nav aria-label="Role hierarchy (the table lists the same roles)" className="size-full">
      <svg
        className="size-full"
        viewBox={`${-padding} ${-padding} ${layout.width + 2 * padding} ${layout.height + 2 * padding}`}
        preserveAspectRatio="xMidYMid meet"
      >
        <title>Role hierarchy</title>
        <defs>
          <marker
            id="role-graph-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#a1a1aa" />
          </marker>
        </defs>
        {layout.edges.map((edge) => (
          <polyline
            key={edge.id}
            points={edge.points.map((p) => `${p.x},${p.y}`).join(' ')}
            fill="none"
            stroke="#a1a1aa"
            strokeWidth={1.5}
            markerEnd="url(#role-graph-arrow)"
          />
        ))}
        {layout.nodes.map((node) => {
          const tone = nodeTone({ selectedId, myRoleId, manageableIds }, node.id)
          return (
            <a key={node.id} href={hrefFor(node.id)}>
              <rect
                x={node.x}
                y={node.y}
                width={NODE_WIDTH}
                height={NODE_HEIGHT}
                rx={10}
                fill={tone.fill}
                stroke={tone.stroke}
                strokeWidth={tone.strokeWidth}
              />
              <text
                x={node.x + 14}
                y={node.y + 24}
                fontSize={14}
                fontWeight={600}
                fill={tone.text}
                fontFamily="ui-sans-serif, system-ui, sans-serif"
              >
                {truncate(node.label, 20)}
                {myRoleId === node.id ? ' (you)' : ''}
              </text>
              <text
                x={node.x + 14}
                y={node.y + 42}
                fontSize={12}
                fill="#71717a"
                fontFamily="ui-sans-serif, system-ui, sans-serif"
              >
                {nodeCaption(node)}
              </text>
            </a>
          )
        })}
      </svg>
    </nav>
  )
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
