// torch.amp: autocast regions and the gradient scaler.
export { autocast, isAutocastEnabled, isAutocastCpuEnabled, getAutocastDtype, isAutocastCacheEnabled, clearAutocastCache } from './autocast';
export * from './autocast-switches';
export type { AutocastOptions, AutocastDevice } from './autocast';
export { GradScaler } from './grad-scaler';
export type { GradScalerOptions, GradScalerState, ScalableOptimizer, Scalable } from './grad-scaler';
