import { type Access, can, isBelowMe } from '#app/lib/access.ts'

export const VISIBILITIES = ['private', 'controlled', 'public'] as const
export type Visibility = (typeof VISIBILITIES)[number]

/** What each visibility means, in the words of the access engine (SPEC §4.3). */
export const VISIBILITY_HELP: Record<Visibility, string> = {
  private: 'Only the owner sees and changes it.',
  controlled: 'The owner and everyone whose role is above the owner’s role.',
  public:
    'The owner, and members with deals.read (to see), deals.update (to edit) or deals.delete (to delete).',
}

export type DealAbilities = {
  isOwner: boolean
  update: boolean
  delete: boolean
  changeVisibility: boolean
}

/**
 * What the viewer may do with a deal they can see, by the rules of the access engine: the
 * owner may do everything; for a controlled deal, so may anyone whose role is above the owner's
 * role; for a public deal, holders of deals.update / deals.delete may edit / delete it, but only
 * the owner or someone above the owner's role may change its visibility. The UI offers exactly
 * this; the database decides again on every write.
 */
export function dealAbilities(
  access: Access,
  userId: string,
  deal: { ownerId: string; ownerRoleId: string; visibility: string },
): DealAbilities {
  const isOwner = deal.ownerId === userId
  const aboveOwner = isBelowMe(access, deal.ownerRoleId)
  const byRole = deal.visibility === 'controlled' && aboveOwner
  const byPermission = (code: string) => deal.visibility === 'public' && can(access, code)
  const update = isOwner || byRole || byPermission('deals.update')
  return {
    isOwner,
    update,
    delete: isOwner || byRole || byPermission('deals.delete'),
    changeVisibility: update && (isOwner || aboveOwner),
  }
}

/** The stages app.deals accepts (its check constraint), in pipeline order. */
export const DEAL_STAGES = ['lead', 'qualified', 'proposal', 'won', 'lost'] as const
