import { describe, expect, it } from 'vitest'
import type { Access } from '#app/lib/access.ts'
import {
  addableParents,
  grantablePermissions,
  mayManageRole,
  usableParents,
} from './role-abilities.ts'
import { descendantsOf, layoutRoleGraph, NODE_HEIGHT } from './role-graph-layout.ts'

// owner → manager → (sales, analyst) → junior: a diamond below manager.
const role = (id: string, parentIds: string[] = []) => ({
  id,
  label: id,
  isRoot: parentIds.length === 0,
  parentIds,
  memberCount: 0,
})
const roles = [
  role('owner'),
  role('manager', ['owner']),
  role('sales', ['manager']),
  role('analyst', ['manager']),
  role('junior', ['sales', 'analyst']),
]

describe('layoutRoleGraph', () => {
  it('puts the root on top and every role below all of its parents, with one edge per parent', () => {
    const layout = layoutRoleGraph(roles)
    const y = Object.fromEntries(layout.nodes.map((n) => [n.id, n.y]))
    expect(y.owner).toBeLessThan(y.manager as number)
    expect(y.manager).toBeLessThan(y.sales as number)
    expect(y.sales).toBe(y.analyst)
    expect(y.junior).toBeGreaterThanOrEqual((y.sales as number) + NODE_HEIGHT)
    expect(layout.edges.map((e) => e.id).sort()).toEqual([
      'analyst->junior',
      'manager->analyst',
      'manager->sales',
      'owner->manager',
      'sales->junior',
    ])
    for (const edge of layout.edges) expect(edge.points.length).toBeGreaterThanOrEqual(2)
    // Both branches of the diamond sit side by side, not on top of each other.
    const x = Object.fromEntries(layout.nodes.map((n) => [n.id, n.x]))
    expect(Math.abs((x.sales as number) - (x.analyst as number))).toBeGreaterThan(100)
    expect(layout.width).toBeGreaterThan(0)
    expect(layout.height).toBeGreaterThan(4 * NODE_HEIGHT)
  })

  it('draws the same picture whatever order the roles come in, and skips unknown parents', () => {
    const a = layoutRoleGraph(roles)
    const b = layoutRoleGraph([...roles].reverse())
    expect(b.nodes).toEqual(a.nodes)
    const orphan = layoutRoleGraph([role('owner'), role('x', ['owner', 'missing'])])
    expect(orphan.edges.map((e) => e.id)).toEqual(['owner->x'])
  })

  it('finds every role below one, through all paths', () => {
    expect([...descendantsOf(roles, 'manager')].sort()).toEqual(['analyst', 'junior', 'sales'])
    expect([...descendantsOf(roles, 'junior')]).toEqual([])
  })
})

describe('role abilities', () => {
  const manager: Access = {
    roleId: 'manager',
    roleName: 'manager',
    isOwner: false,
    permissions: ['roles.manage', 'deals.read'],
    rolesBelow: ['sales', 'analyst', 'junior'],
  }

  it('manages only roles strictly below, and only with roles.manage', () => {
    expect(['owner', 'manager', 'sales', 'junior'].map((id) => mayManageRole(manager, id))).toEqual(
      [false, false, true, true],
    )
    expect(mayManageRole({ ...manager, permissions: ['deals.read'] }, 'sales')).toBe(false)
  })

  it('attaches roles under the viewer’s own role or below, never under a descendant', () => {
    expect(usableParents(manager, roles).map((r) => r.id)).toEqual([
      'manager',
      'sales',
      'analyst',
      'junior',
    ])
    const sales = roles.find((r) => r.id === 'sales') ?? roles[0]
    // sales already reports to manager; junior is below it; analyst is a valid second parent.
    expect(
      addableParents(manager, roles, sales as (typeof roles)[number]).map((r) => r.id),
    ).toEqual(['analyst'])
  })

  it('grants only codes the viewer holds', () => {
    const catalogue = ['audit.read', 'deals.read', 'roles.manage'].map((code) => ({ code }))
    expect(grantablePermissions(manager, catalogue).map((p) => p.code)).toEqual([
      'deals.read',
      'roles.manage',
    ])
  })
})
