// Which backends this build has: gloo with c10d; NCCL, MPI and UCC never (CPU libtorch, no MPI).
import { isAvailable } from './native-c10d';

/** c10d is built here only with gloo, so the two come together. */
export const isGlooAvailable = isAvailable;
export const isNcclAvailable = (): boolean => false;
export const isMpiAvailable = (): boolean => false;
export const isUccAvailable = (): boolean => false;
/** Whether torchrun (torchelastic) started this process. */
export const isTorchelasticLaunched = (): boolean => process.env.TORCHELASTIC_RUN_ID !== undefined;
