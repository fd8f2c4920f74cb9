// torch.optim.swa_utils as optim.swaUtils: weight averaging (SWA, EMA), its lr schedule, and BatchNorm statistics.
export { AveragedModel } from './averaged-model';
export type { AvgFn, AveragedModelArgs } from './averaged-model';
export { SWALR } from './swalr';
export type { SWALROptions, SWALRArgs, AnnealStrategy } from './swalr';
export { updateBn } from './update-bn';
export type { UpdateBnArgs, BatchSource } from './update-bn';
