import { Link } from '@remix-run/react'
import {
  Controls,
  type Edge,
  Handle,
  MarkerType,
  type Node,
  type NodeProps,
  Position,
  ReactFlow,
  useReactFlow,
  useStore,
} from '@xyflow/react'
import { useEffect, useMemo } from 'react'
import { cn } from '#app/components/ui/cn.ts'
import { nodeCaption, nodeTone, type RoleGraphProps } from './role-graph.tsx'
import { NODE_HEIGHT, NODE_WIDTH, type PlacedRole } from './role-graph-layout.ts'

type RoleNodeData = PlacedRole & {
  href: string
  isMine: boolean
  tone: ReturnType<typeof nodeTone>
}
type RoleNode = Node<RoleNodeData, 'role'>

function RoleNodeView({ data }: NodeProps<RoleNode>) {
  return (
    <>
      <Handle type="target" position={Position.Top} isConnectable={false} className="opacity-0" />
      <Link
        to={data.href}
        preventScrollReset
        className={cn(
          'nopan flex h-full w-full flex-col justify-center rounded-[10px] px-3.5 text-left',
          'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600',
        )}
        style={{
          background: data.tone.fill,
          boxShadow: `inset 0 0 0 ${data.tone.strokeWidth}px ${data.tone.stroke}`,
          color: data.tone.text,
        }}
      >
        <span className="flex items-center gap-1.5">
          <span className="truncate text-sm font-semibold">{data.label}</span>
          {data.isMine ? (
            <span className="rounded bg-indigo-600 px-1.5 text-[10px] font-semibold text-white uppercase">
              You
            </span>
          ) : null}
        </span>
        <span className="truncate text-xs text-zinc-500">{nodeCaption(data)}</span>
      </Link>
      <Handle
        type="source"
        position={Position.Bottom}
        isConnectable={false}
        className="opacity-0"
      />
    </>
  )
}

const nodeTypes = { role: RoleNodeView }

/**
 * Each node's size and the place of its two handles (the 6 px dots centred on the top and bottom
 * borders) are given up front, so React Flow draws edges and fits the view from the layout alone.
 * Left to measure them in the browser, it drops the measurements of a node re-created by a
 * re-render (a role added, a parent changed) and does not always take them again: the edges
 * between such nodes were not drawn, and the view was not fitted to the new graph.
 */
const HANDLE = 6
const handles: NonNullable<Node['handles']> = [
  {
    type: 'target',
    position: Position.Top,
    x: NODE_WIDTH / 2 - HANDLE / 2,
    y: -HANDLE / 2,
    width: HANDLE,
    height: HANDLE,
  },
  {
    type: 'source',
    position: Position.Bottom,
    x: NODE_WIDTH / 2 - HANDLE / 2,
    y: NODE_HEIGHT - HANDLE / 2,
    width: HANDLE,
    height: HANDLE,
  },
]
const FIT = { padding: 0.15, maxZoom: 1.1 }

/**
 * Fits the whole graph in view again when the roles change (a role added or re-parented) or
 * the canvas changes size (a window resized, a phone turned): fitView alone runs once.
 */
function KeepInView({ shape }: { shape: string }) {
  const { fitView } = useReactFlow()
  const width = useStore((state) => state.width)
  const height = useStore((state) => state.height)
  useEffect(() => {
    if (!width || !height || !shape) return
    const frame = requestAnimationFrame(() => void fitView(FIT))
    return () => cancelAnimationFrame(frame)
  }, [fitView, width, height, shape])
  return null
}

/** The interactive role graph (browser only): pan and zoom; each role links to its details. */
export default function RoleGraphCanvas(props: RoleGraphProps) {
  const { layout, selectedId, myRoleId, hrefFor } = props
  const nodes = useMemo<RoleNode[]>(
    () =>
      layout.nodes.map((role) => ({
        id: role.id,
        type: 'role',
        position: { x: role.x, y: role.y },
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        measured: { width: NODE_WIDTH, height: NODE_HEIGHT },
        handles,
        draggable: false,
        selectable: false,
        data: {
          ...role,
          href: hrefFor(role.id),
          isMine: role.id === myRoleId,
          tone: nodeTone(props, role.id),
        },
      })),
    [layout, hrefFor, myRoleId, props],
  )
  const edges = useMemo<Edge[]>(
    () =>
      layout.edges.map((edge) => {
        const touchesSelected = edge.source === selectedId || edge.target === selectedId
        const color = touchesSelected ? '#4f46e5' : '#a1a1aa'
        return {
          id: edge.id,
          source: edge.source,
          target: edge.target,
          selectable: false,
          focusable: false,
          markerEnd: { type: MarkerType.ArrowClosed, color, width: 16, height: 16 },
          style: { stroke: color, strokeWidth: touchesSelected ? 2 : 1.5 },
        }
      }),
    [layout, selectedId],
  )
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      fitView
      fitViewOptions={FIT}
      minZoom={0.2}
      maxZoom={1.75}
      nodesDraggable={false}
      nodesConnectable={false}
      nodesFocusable={false}
      edgesFocusable={false}
      elementsSelectable={false}
      zoomOnScroll={false}
      zoomOnDoubleClick={false}
      preventScrolling={false}
      proOptions={{ hideAttribution: false }}
      aria-label="Role hierarchy"
    >
      <Controls showInteractive={false} position="bottom-right" />
      <KeepInView
        shape={`${layout.width}x${layout.height}:${layout.edges.map((e) => e.id).join()}`}
      />
    </ReactFlow>
  )
}
