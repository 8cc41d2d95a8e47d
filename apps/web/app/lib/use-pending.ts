import { useNavigation } from '@remix-run/react'

/** True while this page's form (optionally: the one with this intent) is being submitted. */
export function usePending(intent?: string): boolean {
  const navigation = useNavigation()
  if (navigation.state === 'idle' || !navigation.formData) return false
  return intent === undefined || navigation.formData.get('intent') === intent
}
