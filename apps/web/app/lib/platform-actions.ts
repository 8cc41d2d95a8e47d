/** The platform action log in words: "Ada provisioned Initech for boss@initech.test". */

export type PlatformAction = {
  actor: string | null
  action: string
  tenant: string | null
  details: Record<string, unknown>
}

const onOff = (value: unknown) =>
  value === true ? 'on' : value === false ? 'off' : 'back to its default'

export function describePlatformAction(entry: PlatformAction): string {
  const who = entry.actor ?? 'The service key'
  const tenant = entry.tenant ?? 'a deleted tenant'
  const d = entry.details
  switch (entry.action) {
    case 'provision_tenant':
      return `${who} provisioned ${tenant} for ${String(d.admin_email ?? 'its admin')}`
    case 'set_subscription_override':
      return `${who} put ${tenant} on the ${String(d.plan)} plan`
    case 'remove_subscription_override':
      return `${who} removed the plan override of ${tenant}`
    case 'set_feature_flag':
      return `${who} turned ${String(d.key)} ${onOff(d.enabled)} for every tenant`
    case 'set_organization_feature':
      return d.enabled === null || d.enabled === undefined
        ? `${who} put ${String(d.key)} back to its default for ${tenant}`
        : `${who} turned ${String(d.key)} ${onOff(d.enabled)} for ${tenant}`
    case 'set_setting':
      return `${who} set ${String(d.key)} to ${JSON.stringify(d.value)}`
    case 'set_admin':
      return d.is_admin ? `${who} made a user a platform admin` : `${who} removed a platform admin`
    case 'set_organization_permissions':
      return `${who} changed the permissions enabled for ${tenant}`
    default:
      return `${who}: ${entry.action.replaceAll('_', ' ')}${entry.tenant ? ` (${entry.tenant})` : ''}`
  }
}
