// torch.profiler: profile (activities, schedule, steps, withStack), recordFunction, the events and their
// table, ExecutionGraphObserver.
export { kinetoAvailable, profile, Profile, ProfilerActivity, ProfilerAction, RecordScope, schedule, supportedActivities, tensorboardTraceHandler } from './profile';
export { ExecutionGraphObserver } from './execution-graph-observer';
export type { ProfileOptions, ScheduleOptions } from './profile';
export type { KeyAveragesOptions } from './autograd-profile';
export { recordFunction, RecordFunction } from './record-function';
export { EventList, FunctionEvent, FunctionEventAvg, DeviceType } from './events';
export type { TableOptions } from './table';
