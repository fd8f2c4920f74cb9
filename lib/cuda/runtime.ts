// torch.cuda's device functions over native/cuda.cc: availability, the current device,
// synchronization, the caching allocator's statistics, and the CUDA generators' seeds.
import { TorchError } from '../errors';
import { native } from '../native';
import { Device } from '../tensor/device';

/** A device argument as PyTorch's torch.cuda functions take it: an index, 'cuda:1', a Device. */
export type CudaDeviceLike = number | string | Device;

/** -1 (the current device) when absent; PyTorch's _get_device_index rules otherwise. */
function deviceIndex(device: CudaDeviceLike | undefined | null): number {
  if (device === undefined || device === null) return -1;
  if (typeof device === 'number') {
    if (!Number.isInteger(device)) throw new TorchError(`Invalid device id: ${device}`);
    return device;
  }
  const d = typeof device === 'string' ? new Device(device) : device;
  if (d.type !== 'cuda') throw new TorchError(`Expected a cuda device, but got: ${String(d)}`);
  return d.index ?? -1;
}

/** torch.cuda.is_available() */
export function isAvailable(): boolean {
  return native.cudaDeviceCount() > 0;
}

/** torch.cuda.device_count() */
export function deviceCount(): number {
  return native.cudaDeviceCount();
}

/** torch.backends.cuda.is_built(): whether this addon was compiled against a CUDA libtorch. */
export function isBuilt(): boolean {
  return native.cudaIsBuilt();
}

/** torch.cuda.current_device() */
export function currentDevice(): number {
  return native.cudaCurrentDevice();
}

/** torch.cuda.set_device(device); a negative index does nothing, as in PyTorch. */
export function setDevice(device: CudaDeviceLike): void {
  const index = deviceIndex(device);
  if (index >= 0) native.cudaSetDevice(index);
}

/** torch.cuda.synchronize(device?): waits for all kernels queued on the device. */
export function synchronize(device?: CudaDeviceLike | null): void {
  native.cudaSynchronize(deviceIndex(device));
}

/** torch.cuda.get_device_name(device?) */
export function getDeviceName(device?: CudaDeviceLike | null): string {
  return native.cudaGetDeviceName(deviceIndex(device));
}

/** torch.cuda.memory_allocated(device?): bytes occupied by tensors (0 without CUDA). */
export function memoryAllocated(device?: CudaDeviceLike | null): number {
  return native.cudaMemoryStats(deviceIndex(device)).allocated;
}

/** torch.cuda.max_memory_allocated(device?): the peak since start or resetPeakMemoryStats. */
export function maxMemoryAllocated(device?: CudaDeviceLike | null): number {
  return native.cudaMemoryStats(deviceIndex(device)).peakAllocated;
}

/** torch.cuda.memory_reserved(device?): bytes the caching allocator holds (tensors and cache). */
export function memoryReserved(device?: CudaDeviceLike | null): number {
  return native.cudaMemoryStats(deviceIndex(device)).reserved;
}

/** torch.cuda.max_memory_reserved(device?) */
export function maxMemoryReserved(device?: CudaDeviceLike | null): number {
  return native.cudaMemoryStats(deviceIndex(device)).peakReserved;
}

/** torch.cuda.empty_cache(): returns cached unused blocks to the driver (no-op without CUDA). */
export function emptyCache(): void {
  native.cudaEmptyCache();
}

/** torch.cuda.reset_peak_memory_stats(device?) */
export function resetPeakMemoryStats(device?: CudaDeviceLike | null): void {
  native.cudaResetPeakMemoryStats(deviceIndex(device));
}

/** torch.cuda.manual_seed(seed): seeds the current device's generator (nothing without CUDA). */
export function manualSeed(seed: number | bigint): void {
  native.cudaManualSeed(seed, -1);
}

/** torch.cuda.manual_seed_all(seed): seeds every device's generator. */
export function manualSeedAll(seed: number | bigint): void {
  native.cudaManualSeed(seed, -2);
}
