// The raw switches under torch.autocast (Python's torch.set_autocast_* family): they change the
// thread's packed autocast state (autocast.ts) without a region, for code that manages regions itself.
import { PyTypeError, TorchError, pyTypeName } from '../errors';
import { native } from '../native';
import { DType } from '../tensor/dtype';
import { CACHE_ON, CPU_DTYPE_SHIFT, CPU_ON, CUDA_DTYPE_SHIFT, CUDA_ON, cpuSupports, getAutocastDtype } from './autocast';

function checkBool(enabled: unknown): asserts enabled is boolean {
  if (typeof enabled !== 'boolean') throw new PyTypeError(`enabled must be a bool (got ${pyTypeName(enabled)})`);
}

function withBit(bit: number, on: boolean): void {
  const state = native.getAutocastState();
  native.setAutocastState(on ? state | bit : state & ~bit);
}

function withDtype(shift: number, dtype: DType): void {
  native.setAutocastState((native.getAutocastState() & ~(0xff << shift)) | (dtype.code << shift));
}

function checkDtype(dtype: unknown): asserts dtype is DType {
  if (!(dtype instanceof DType)) throw new PyTypeError(`dtype must be a torch.dtype (got ${pyTypeName(dtype)})`);
}

/** torch.set_autocast_enabled(enabled): CUDA autocast on or off, outside any region. */
export function setAutocastEnabled(enabled: boolean): void {
  checkBool(enabled);
  withBit(CUDA_ON, enabled);
}

/** torch.set_autocast_cpu_enabled(enabled) */
export function setAutocastCpuEnabled(enabled: boolean): void {
  checkBool(enabled);
  withBit(CPU_ON, enabled);
}

/** torch.set_autocast_cache_enabled(enabled) */
export function setAutocastCacheEnabled(enabled: boolean): void {
  checkBool(enabled);
  withBit(CACHE_ON, enabled);
}

/** torch.get_autocast_cpu_dtype() */
export function getAutocastCpuDtype(): DType {
  return getAutocastDtype('cpu');
}

/** torch.get_autocast_gpu_dtype() */
export function getAutocastGpuDtype(): DType {
  return getAutocastDtype('cuda');
}

/** torch.set_autocast_cpu_dtype(dtype): bfloat16 (float16 too from libtorch 2.0). */
export function setAutocastCpuDtype(dtype: DType): void {
  checkDtype(dtype);
  if (!cpuSupports(dtype)) throw new TorchError('Currently, AutocastCPU only support Bfloat16 as the autocast_cpu_dtype');
  withDtype(CPU_DTYPE_SHIFT, dtype);
}

/** torch.set_autocast_gpu_dtype(dtype) */
export function setAutocastGpuDtype(dtype: DType): void {
  checkDtype(dtype);
  withDtype(CUDA_DTYPE_SHIFT, dtype);
}

/** torch.autocast_increment_nesting(): the new depth of autocast regions on this thread. */
export function autocastIncrementNesting(): number {
  return native.autocastIncrementNesting();
}

/** torch.autocast_decrement_nesting(): the new depth; the cast cache is cleared when it reaches 0. */
export function autocastDecrementNesting(): number {
  return native.autocastDecrementNesting();
}
