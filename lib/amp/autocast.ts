// torch.autocast: mixed precision regions over libtorch's thread-local autocast switches
// (native/autocast.cc). Sync and async forms: an async fn keeps its region across awaits through
// the same async-scope mechanism as noGrad (lib/autograd/grad-mode.ts), without leaking it into
// code that runs between its awaits.
import { TorchError, warn } from '../errors';
import { native } from '../native';
import { carryAcrossAwaits, withScope } from '../autograd/grad-mode';
import { DType, DTypeLike, dtypeFromCode, toDType, bfloat16, float16 } from '../tensor/dtype';
import { checkKeywords, keysOf } from '../keywords';

// the packed native state (native/autocast.cc)
export const CPU_ON = 1 << 0;
export const CUDA_ON = 1 << 1;
export const CACHE_ON = 1 << 2;
export const CPU_DTYPE_SHIFT = 8;
export const CUDA_DTYPE_SHIFT = 16;

carryAcrossAwaits({ get: native.getAutocastState, set: native.setAutocastState });

export type AutocastDevice = 'cpu' | 'cuda';

export interface AutocastOptions {
  /** the lower precision: default torch.float16 on CUDA, torch.bfloat16 on CPU (the current setting) */
  dtype?: DTypeLike;
  enabled?: boolean;
  /** reuse casts of leaf tensors (weights) inside the region; default: the current setting */
  cacheEnabled?: boolean;
}
const AUTOCAST_KEYS = keysOf<AutocastOptions>()('dtype', 'enabled', 'cacheEnabled');

function checkDevice(deviceType: string): asserts deviceType is AutocastDevice {
  if (deviceType !== 'cpu' && deviceType !== 'cuda') {
    throw new TorchError(`User specified autocast device_type must be 'cuda' or 'cpu', but got ${deviceType}`);
  }
}

/** CPU autocast's lower precisions: bfloat16 in libtorch 1.x, float16 too from 2.0 on. */
export function cpuSupports(dtype: DType): boolean {
  return dtype === bfloat16 || (dtype === float16 && Number(native.libtorchVersion().split('.')[0]) >= 2);
}

/** The packed state inside the region, as torch.autocast.__enter__ sets it. */
function regionState(deviceType: AutocastDevice, options: AutocastOptions): number {
  let state = native.getAutocastState();
  const shift = deviceType === 'cpu' ? CPU_DTYPE_SHIFT : CUDA_DTYPE_SHIFT;
  const dtype = options.dtype != null ? toDType(options.dtype) : dtypeFromCode((state >> shift) & 0xff);
  let enabled = options.enabled ?? true;
  if (enabled && deviceType === 'cuda' && native.cudaDeviceCount() === 0) {
    warn("User provided device_type of 'cuda', but CUDA is not available. Disabling");
    enabled = false;
  }
  if (enabled && deviceType === 'cpu' && !cpuSupports(dtype)) {
    warn(
      'In CPU autocast, but the target dtype is not supported. Disabling autocast.\n' +
        'CPU Autocast only supports dtype of torch.bfloat16 currently.',
    );
    enabled = false;
  }
  if (enabled && !dtype.isFloatingPoint) throw new TorchError(`autocast dtype must be a floating point dtype, got ${String(dtype)}`);
  const on = deviceType === 'cpu' ? CPU_ON : CUDA_ON;
  state = enabled ? state | on : state & ~on;
  if (enabled) state = (state & ~(0xff << shift)) | (dtype.code << shift);
  if (options.cacheEnabled !== undefined) state = options.cacheEnabled ? state | CACHE_ON : state & ~CACHE_ON;
  return state;
}

/**
 * torch.autocast(deviceType, { dtype, enabled, cacheEnabled }, fn): runs fn (sync or async) with
 * autocast on for that device: ops on PyTorch's lower-precision list run in dtype, those on its
 * fp32 list in float32. Returns fn's result.
 */
export function autocast<T>(deviceType: AutocastDevice | string, fn: () => T): T;
export function autocast<T>(deviceType: AutocastDevice | string, options: AutocastOptions, fn: () => T): T;
export function autocast<T>(deviceType: string, optionsOrFn: AutocastOptions | (() => T), maybeFn?: () => T): T {
  checkDevice(deviceType);
  const options = typeof optionsOrFn === 'function' ? {} : optionsOrFn;
  checkKeywords('autocast', options, AUTOCAST_KEYS);
  const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
  if (typeof fn !== 'function') throw new TorchError('autocast expects a function to run as its last argument');
  const state = regionState(deviceType, options);
  return withScope(
    () => {
      native.setAutocastState(state);
      native.autocastIncrementNesting();
    },
    fn,
    () => native.autocastDecrementNesting(),
  );
}

/** torch.is_autocast_enabled(deviceType = 'cuda') */
export function isAutocastEnabled(deviceType: AutocastDevice | string = 'cuda'): boolean {
  checkDevice(deviceType);
  return (native.getAutocastState() & (deviceType === 'cpu' ? CPU_ON : CUDA_ON)) !== 0;
}

/** torch.is_autocast_cpu_enabled() */
export function isAutocastCpuEnabled(): boolean {
  return isAutocastEnabled('cpu');
}

/** torch.get_autocast_dtype(deviceType): the lower precision autocast uses there. */
export function getAutocastDtype(deviceType: AutocastDevice | string): DType {
  checkDevice(deviceType);
  const state = native.getAutocastState();
  return dtypeFromCode((state >> (deviceType === 'cpu' ? CPU_DTYPE_SHIFT : CUDA_DTYPE_SHIFT)) & 0xff);
}

/** torch.is_autocast_cache_enabled() */
export function isAutocastCacheEnabled(): boolean {
  return (native.getAutocastState() & CACHE_ON) !== 0;
}

/** torch.clear_autocast_cache() */
export function clearAutocastCache(): void {
  native.clearAutocastCache();
}
