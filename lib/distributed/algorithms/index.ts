// torch.distributed.algorithms: DDP's communication hooks (ddp_comm_hooks.default_hooks) and the
// join context for uneven inputs (join.Join, Joinable, JoinHook).
import { allreduceHook, fp16CompressHook } from './default-hooks';

export const ddpCommHooks = { defaultHooks: { allreduceHook, fp16CompressHook } };
export { BuiltinCommHookType } from './default-hooks';
export type { CommHook } from './default-hooks';
export { Join, Joinable, JoinHook } from './join';
export type { JoinConfig, JoinOptions, JoinHookKwargs } from './join';
export * as join from './join';
