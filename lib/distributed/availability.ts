// Which backends this build has: gloo with c10d; NCCL, MPI and UCC never (CPU libtorch, no MPI).
import { native } from '../native';

export const isGlooAvailable = (): boolean => native.distributedAvailable();
export const isNcclAvailable = (): boolean => false;
export const isMpiAvailable = (): boolean => false;
export const isUccAvailable = (): boolean => false;
/** Whether torchrun (torchelastic) started this process. */
export const isTorchelasticLaunched = (): boolean => process.env.TORCHELASTIC_RUN_ID !== undefined;
