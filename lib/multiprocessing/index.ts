// torch.multiprocessing: spawn, for starting the ranks of a distributed job from one script.
export { spawn } from './spawn';
export type { SpawnOptions, ProcessContext } from './spawn';
