// torch.cuda.amp: the CUDA-typed forms of torch.autocast and torch.amp.GradScaler.
import { autocast as autocastOn, AutocastOptions } from '../amp/autocast';
import { GradScaler as AnyDeviceGradScaler, GradScalerOptions } from '../amp/grad-scaler';

/** torch.cuda.amp.autocast({ enabled, dtype, cacheEnabled }, fn) = torch.autocast('cuda', ...) */
export function autocast<T>(fn: () => T): T;
export function autocast<T>(options: AutocastOptions, fn: () => T): T;
export function autocast<T>(optionsOrFn: AutocastOptions | (() => T), maybeFn?: () => T): T {
  return typeof optionsOrFn === 'function' ? autocastOn('cuda', optionsOrFn) : autocastOn('cuda', optionsOrFn, maybeFn!);
}

/** torch.cuda.amp.GradScaler({ initScale, growthFactor, backoffFactor, growthInterval, enabled }) */
export class GradScaler extends AnyDeviceGradScaler {
  constructor(options: GradScalerOptions = {}) {
    super('cuda', options);
  }
}
