import { describe, expect, it } from 'vitest'
import type { Access } from '#app/lib/access.ts'
import { dealAbilities } from '#app/lib/deal-access.ts'

const me = 'user-me'
const access = (permissions: string[], rolesBelow: string[] = ['role-junior']): Access => ({
  roleId: 'role-lead',
  roleName: 'lead',
  isOwner: false,
  permissions,
  rolesBelow,
})
const deal = (visibility: string, ownerId = 'user-other', ownerRoleId = 'role-junior') => ({
  ownerId,
  ownerRoleId,
  visibility,
})
const none = { isOwner: false, update: false, delete: false, changeVisibility: false }

describe('dealAbilities (SPEC §4.3)', () => {
  it('lets the owner do everything, whatever the visibility', () => {
    for (const visibility of ['private', 'controlled', 'public']) {
      expect(dealAbilities(access([]), me, deal(visibility, me, 'role-lead'))).toEqual({
        isOwner: true,
        update: true,
        delete: true,
        changeVisibility: true,
      })
    }
  })

  it('gives a controlled deal to roles above the owner’s, not to peers or holders of deals.*', () => {
    expect(dealAbilities(access([]), me, deal('controlled'))).toEqual({
      ...none,
      update: true,
      delete: true,
      changeVisibility: true,
    })
    const peer = access(['deals.update', 'deals.delete'], [])
    expect(dealAbilities(peer, me, deal('controlled', 'user-other', 'role-lead'))).toEqual(none)
  })

  it('lets holders of deals.update / deals.delete edit / delete a public deal but not hide it', () => {
    const updater = access(['deals.read', 'deals.update'], [])
    expect(dealAbilities(updater, me, deal('public'))).toEqual({ ...none, update: true })
    const deleter = access(['deals.read', 'deals.delete'], [])
    expect(dealAbilities(deleter, me, deal('public'))).toEqual({ ...none, delete: true })
    // Above the owner and allowed to edit: may also change who sees it.
    expect(dealAbilities(access(['deals.update']), me, deal('public'))).toEqual({
      ...none,
      update: true,
      changeVisibility: true,
    })
    // Above the owner without deals.update: the engine refuses the write itself.
    expect(dealAbilities(access(['deals.read']), me, deal('public'))).toEqual(none)
  })

  it('offers nothing on someone else’s private deal, even to roles above', () => {
    expect(
      dealAbilities(access(['deals.read', 'deals.update', 'deals.delete']), me, deal('private')),
    ).toEqual(none)
  })
})
