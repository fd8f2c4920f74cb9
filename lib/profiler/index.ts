// torch.profiler: profile (activities, schedule, steps), recordFunction, the events and their table.
export { profile, Profile, ProfilerActivity, ProfilerAction, schedule, supportedActivities, tensorboardTraceHandler } from './profile';
export type { ProfileOptions, ScheduleOptions } from './profile';
export type { KeyAveragesOptions } from './autograd-profile';
export { recordFunction, RecordFunction } from './record-function';
export { EventList, FunctionEvent, FunctionEventAvg, DeviceType } from './events';
export type { TableOptions } from './table';
