// torch.amp: autocast regions and the gradient scaler.
export { autocast, isAutocastEnabled, isAutocastCpuEnabled, getAutocastDtype, isAutocastCacheEnabled, clearAutocastCache } from './autocast';
export {
  setAutocastEnabled,
  setAutocastCpuEnabled,
  setAutocastCacheEnabled,
  getAutocastCpuDtype,
  getAutocastGpuDtype,
  setAutocastCpuDtype,
  setAutocastGpuDtype,
  autocastIncrementNesting,
  autocastDecrementNesting,
} from './autocast';
export type { AutocastOptions, AutocastDevice } from './autocast';
export { GradScaler } from './grad-scaler';
export type { GradScalerOptions, GradScalerState, ScalableOptimizer, Scalable } from './grad-scaler';
