import type { SupabaseClient } from '@supabase/supabase-js'
import type { z } from 'zod'
import { type FunctionName, functions } from '#src/functions.generated.ts'
import { RpcError } from '#src/rpc-error.ts'

export type RpcArgs<N extends FunctionName> = z.input<(typeof functions)[N]['args']>
export type RpcResult<N extends FunctionName> = z.output<(typeof functions)[N]['returns']>

/**
 * Calls a public function through supabase-js with its arguments and its result validated by
 * the function's schema. Database errors come back as RpcError with the SQLSTATE as code.
 */
export async function rpc<N extends FunctionName>(
  // biome-ignore lint/suspicious/noExplicitAny: any database typing of the caller's client is accepted
  client: SupabaseClient<any, any, any>,
  name: N,
  args: RpcArgs<N>,
): Promise<RpcResult<N>> {
  const schema = functions[name]
  const parsedArgs = schema.args.safeParse(args)
  if (!parsedArgs.success) {
    throw new RpcError('invalid_args', `Invalid arguments for ${name}: ${parsedArgs.error.message}`)
  }
  const { data, error } = await client.rpc(name, parsedArgs.data)
  if (error) throw new RpcError(error.code, error.message, error.details, error.hint)
  const parsedResult = schema.returns.safeParse(data)
  if (!parsedResult.success) {
    throw new RpcError(
      'invalid_result',
      `Unexpected result from ${name}: ${parsedResult.error.message}`,
    )
  }
  return parsedResult.data as RpcResult<N>
}
