// torch.distributed.algorithms.ddp_comm_hooks.default_hooks for DistributedDataParallel's
// registerCommHook: the hooks run inside libtorch's Reducer as its built-in C++ hooks, which do
// what Python's do (divide by the world size, all-reduce; fp16: in half precision, copied back).
import { NotImplementedError } from '../../errors';

/** torch.distributed.BuiltinCommHookType: c10d's codes. */
export const BuiltinCommHookType = { ALLREDUCE: 1, FP16_COMPRESS: 2 } as const;
export type BuiltinCommHookType = (typeof BuiltinCommHookType)[keyof typeof BuiltinCommHookType];

/** A hook DDP can register; calling one directly is not meaningful outside the Reducer. */
export interface CommHook {
  (state: unknown, bucket: unknown): never;
  readonly builtin: BuiltinCommHookType;
}

function hook(name: string, builtin: BuiltinCommHookType): CommHook {
  const fn = () => {
    throw new NotImplementedError(`${name} runs inside DistributedDataParallel's Reducer: pass it to ddp.registerCommHook(state, hook)`);
  };
  Object.defineProperty(fn, 'name', { value: name });
  return Object.assign(fn, { builtin });
}

/** default_hooks.allreduce_hook: the bucket averaged by one all-reduce (what DDP does without a hook). */
export const allreduceHook = hook('allreduce_hook', BuiltinCommHookType.ALLREDUCE);
/** default_hooks.fp16_compress_hook: the bucket all-reduced in float16, halving the bytes sent. */
export const fp16CompressHook = hook('fp16_compress_hook', BuiltinCommHookType.FP16_COMPRESS);
