import dagre from '@dagrejs/dagre'

/** A role as the graph shows it. */
export type GraphRole = {
  id: string
  label: string
  isRoot: boolean
  parentIds: string[]
  memberCount: number
}

export type PlacedRole = GraphRole & { x: number; y: number }
export type PlacedEdge = {
  id: string
  source: string
  target: string
  /** The route dagre found, from the parent's bottom to the child's top. */
  points: Array<{ x: number; y: number }>
}
export type RoleGraphLayout = {
  nodes: PlacedRole[]
  edges: PlacedEdge[]
  width: number
  height: number
}

export const NODE_WIDTH = 176
export const NODE_HEIGHT = 56

/**
 * Places the organization's roles top-down (the root on top, each role below all of its
 * parents) with dagre. Pure and synchronous, so the server draws the same picture as the
 * browser: the static SVG before hydration and the interactive graph after it.
 * Edges to parents that are not in the list are left out.
 */
export function layoutRoleGraph(roles: GraphRole[]): RoleGraphLayout {
  const graph = new dagre.graphlib.Graph()
  graph.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 64, marginx: 16, marginy: 16 })
  graph.setDefaultEdgeLabel(() => ({}))
  const ids = new Set(roles.map((role) => role.id))
  // Sorted input gives the same picture for the same roles, whatever order they came in.
  const sorted = [...roles].sort((a, b) =>
    a.isRoot === b.isRoot ? a.label.localeCompare(b.label, 'en') : a.isRoot ? -1 : 1,
  )
  for (const role of sorted) graph.setNode(role.id, { width: NODE_WIDTH, height: NODE_HEIGHT })
  const edges: Array<{ source: string; target: string }> = []
  for (const role of sorted) {
    for (const parentId of [...role.parentIds].sort()) {
      if (!ids.has(parentId) || parentId === role.id) continue
      graph.setEdge(parentId, role.id)
      edges.push({ source: parentId, target: role.id })
    }
  }
  dagre.layout(graph)
  const label = graph.graph()
  return {
    nodes: sorted.map((role) => {
      const node = graph.node(role.id)
      // dagre places node centres; the drawing wants top-left corners.
      return { ...role, x: node.x - NODE_WIDTH / 2, y: node.y - NODE_HEIGHT / 2 }
    }),
    edges: edges.map((edge) => ({
      id: `${edge.source}->${edge.target}`,
      ...edge,
      points: graph.edge(edge.source, edge.target)?.points ?? [],
    })),
    width: Math.ceil(label.width ?? NODE_WIDTH),
    height: Math.ceil(label.height ?? NODE_HEIGHT),
  }
}

/** Every role below `roleId` (its descendants through any path). */
export function descendantsOf(roles: GraphRole[], roleId: string): Set<string> {
  const children = new Map<string, string[]>()
  for (const role of roles) {
    for (const parentId of role.parentIds) {
      children.set(parentId, [...(children.get(parentId) ?? []), role.id])
    }
  }
  const found = new Set<string>()
  const stack = [...(children.get(roleId) ?? [])]
  while (stack.length) {
    const id = stack.pop() as string
    if (found.has(id)) continue
    found.add(id)
    stack.push(...(children.get(id) ?? []))
  }
  return found
}
