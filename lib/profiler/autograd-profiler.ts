// torch.autograd.profiler: the older API, on the same machinery as torch.profiler.
export { autogradProfile as profile, AutogradProfile } from './autograd-profile';
export type { AutogradProfileOptions, KeyAveragesOptions } from './autograd-profile';
export { recordFunction, RecordFunction } from './record-function';
export { EventList, FunctionEvent, FunctionEventAvg, DeviceType } from './events';
