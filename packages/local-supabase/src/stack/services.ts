import type { Cluster } from '#src/db/cluster.ts'
import type { StackPorts } from '#src/stack/ports.ts'
import type { StackStatus } from '#src/stack/state.ts'

/** Starts the HTTP services of the stack next to the database. */
export async function startServices(_input: {
  cluster: Cluster
  ports: StackPorts
  storageDir: string
}): Promise<{ status: Partial<StackStatus>; close(): Promise<void> }> {
  return { status: {}, close: async () => undefined }
}
