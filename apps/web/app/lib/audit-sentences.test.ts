import { describe, expect, it } from 'vitest'
import { type AuditEntry, describeAuditEntry } from '#app/lib/audit-sentences.ts'

const ANN = '11111111-1111-4111-8111-111111111111'
const SALES = '22222222-2222-4222-8222-222222222222'
const LEADS = '33333333-3333-4333-8333-333333333333'
const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  actorId: ANN,
  actorName: 'Ann',
  actorEmail: 'ann@acme.test',
  targetTable: 'app.deals',
  targetLabel: null,
  action: 'update',
  changes: null,
  names: {},
  ...over,
})

describe('audit entries in words', () => {
  it('tells a change of one field of a record, with its old and new value', () => {
    expect(
      describeAuditEntry(
        entry({
          targetLabel: 'Q3 renewal',
          changes: { visibility: { old: 'private', new: 'controlled' } },
        }),
      ),
    ).toBe("Ann changed the visibility of deal 'Q3 renewal' from private to controlled")
    expect(
      describeAuditEntry(
        entry({
          targetLabel: 'Q3',
          changes: { title: { old: 'Q3', new: 'Q3 renewal' }, amount: { old: 1, new: 2 } },
        }),
      ),
    ).toBe("Ann changed the title and amount of deal 'Q3'")
  })

  it('says only that a record changed when the reader may not see it', () => {
    expect(describeAuditEntry(entry({}))).toBe('Ann changed a deal')
    expect(describeAuditEntry(entry({ action: 'insert' }))).toBe('Ann created a deal')
    expect(describeAuditEntry(entry({ action: 'soft_delete', actorName: null }))).toBe(
      'ann@acme.test deleted a deal',
    )
  })

  it('tells membership changes: joining, role changes, removal and leaving', () => {
    const names = { [SALES]: 'Sales', [LEADS]: 'Leads', [ANN]: 'Ann' }
    expect(
      describeAuditEntry(
        entry({
          targetTable: 'core.memberships',
          actorId: null,
          actorName: null,
          actorEmail: null,
          targetLabel: 'Max',
          action: 'insert',
          changes: { role_id: SALES },
          names,
        }),
      ),
    ).toBe('Max joined as Sales')
    expect(
      describeAuditEntry(
        entry({
          targetTable: 'core.memberships',
          targetLabel: 'Max',
          changes: { role_id: { old: SALES, new: LEADS } },
          names,
        }),
      ),
    ).toBe('Ann changed the role of Max from Sales to Leads')
    expect(
      describeAuditEntry(
        entry({ targetTable: 'core.memberships', targetLabel: 'Max', action: 'soft_delete' }),
      ),
    ).toBe('Ann removed Max from the organization')
    expect(
      describeAuditEntry(
        entry({ targetTable: 'core.memberships', targetLabel: 'Ann', action: 'soft_delete' }),
      ),
    ).toBe('Ann left the organization')
  })

  it('tells invitations, roles, the hierarchy and permissions', () => {
    const names = { [SALES]: 'Sales', [LEADS]: 'Leads' }
    const at = (over: Partial<AuditEntry>) => describeAuditEntry(entry({ names, ...over }))
    expect(
      at({
        targetTable: 'core.invitations',
        targetLabel: 'max@acme.test',
        action: 'insert',
        changes: { role_id: SALES },
      }),
    ).toBe('Ann invited max@acme.test as Sales')
    expect(
      at({
        targetTable: 'core.invitations',
        targetLabel: 'max@acme.test',
        changes: { status: { old: 'pending', new: 'revoked' } },
      }),
    ).toBe('Ann cancelled the invitation of max@acme.test')
    expect(
      at({
        targetTable: 'core.roles',
        targetLabel: 'Leads',
        changes: { label: { old: 'Lead', new: 'Leads' } },
      }),
    ).toBe('Ann renamed the role Lead to Leads')
    expect(
      at({
        targetTable: 'rbac.role_edges',
        action: 'insert',
        changes: { parent_role_id: LEADS, child_role_id: SALES },
      }),
    ).toBe('Ann placed the role Sales under Leads')
    expect(
      at({
        targetTable: 'rbac.role_permissions',
        action: 'delete',
        changes: { role_id: SALES, permission: 'deals.read' },
      }),
    ).toBe('Ann took deals.read from the role Sales')
  })

  it('tells organization changes and falls back for unknown tables', () => {
    expect(
      describeAuditEntry(
        entry({
          targetTable: 'core.organizations',
          changes: {
            slug: { old: 'acme', new: 'acme-inc' },
            name: { old: 'Acme', new: 'Acme Inc' },
          },
        }),
      ),
    ).toBe(
      "Ann renamed the organization from Acme to Acme Inc and changed the organization's address from acme to acme-inc",
    )
    expect(
      describeAuditEntry(
        entry({
          targetTable: 'core.organizations_meta',
          changes: { logo_file_id: { old: null, new: ANN } },
        }),
      ),
    ).toBe("Ann changed the organization's logo")
    expect(
      describeAuditEntry(
        entry({
          targetTable: 'core.organization_files',
          action: 'insert',
          changes: { bucket_id: 'logos', object_name: 'org/abc.png' },
        }),
      ),
    ).toBe('Ann uploaded a new logo')
    expect(
      describeAuditEntry(
        entry({
          targetTable: 'core.organization_files',
          action: 'insert',
          targetLabel: 'Q3 renewal',
          changes: {
            bucket_id: 'deals',
            object_name: 'o/d/contract.pdf',
            record_table: 'app.deals',
          },
        }),
      ),
    ).toBe("Ann added the file contract.pdf of deal 'Q3 renewal'")
    expect(
      describeAuditEntry(entry({ targetTable: 'core.organization_files', action: 'insert' })),
    ).toBe('Ann added a file')
    expect(
      describeAuditEntry(
        entry({
          targetTable: 'core.organizations',
          action: 'insert',
          targetLabel: 'Acme Inc',
          changes: { name: 'Acme' },
        }),
      ),
    ).toBe('Ann created the organization Acme')
    expect(
      describeAuditEntry(
        entry({
          targetTable: 'app.invoices',
          action: 'insert',
          actorId: null,
          actorName: null,
          actorEmail: null,
        }),
      ),
    ).toBe('The system created a row of app.invoices')
  })
})
