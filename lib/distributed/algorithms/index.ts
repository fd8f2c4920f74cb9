// torch.distributed.algorithms: DDP's communication hooks (ddp_comm_hooks.default_hooks).
import { allreduceHook, fp16CompressHook } from './default-hooks';

export const ddpCommHooks = { defaultHooks: { allreduceHook, fp16CompressHook } };
export { BuiltinCommHookType } from './default-hooks';
export type { CommHook } from './default-hooks';
