// Process-wide settings: seeds, threads, CUDA (lib/cuda), memory report.
import { native } from './native';
import './memory/cpu-cache';

/** torch.manual_seed: seeds the CPU and CUDA generators (same numbers as PyTorch after it). */
export function manualSeed(seed: number | bigint): void {
  native.manualSeed(seed);
}

export function initialSeed(): bigint {
  return native.initialSeed();
}

export function setNumThreads(n: number): void {
  native.setNumThreads(n);
}

export function getNumThreads(): number {
  return native.getNumThreads();
}

/** torch.set_num_interop_threads: sizes the inter-op pool; only once, before its first use, as in Python. */
export function setNumInteropThreads(n: number): void {
  native.setNumInteropThreads(n);
}

export function getNumInteropThreads(): number {
  return native.getNumInteropThreads();
}

/** The libtorch version the addon was built against (torch.__version__ of the C++ side). */
export const libtorchVersion: string = native.libtorchVersion();

/** torch.cuda (lib/cuda): isAvailable, deviceCount, synchronize, memory statistics, amp, ... */
export * as cuda from './cuda';

export interface MemoryInfo {
  /** tensor handles alive in this thread (not yet garbage-collected or disposed) */
  liveTensors: number;
  /** bytes of CPU storage those handles hold, each storage counted once */
  cpuBytes: number;
  /** bytes of CUDA storage those handles hold, each storage counted once */
  cudaBytes: number;
  /** high-water mark of storage bytes held by live handles (views counted per handle) */
  peakBytes: number;
  /** bytes of freed large CPU blocks the allocator keeps for reuse (process-wide; held by no tensor) */
  cpuCachedBytes: number;
}

/** torch.memory(): what live tensors of this thread hold natively. */
export function memory(): MemoryInfo {
  const m = native.memory();
  return { liveTensors: m.liveTensors, cpuBytes: m.cpuBytes, cudaBytes: m.cudaBytes, peakBytes: m.peakHandleBytes, cpuCachedBytes: native.cpuCachedBytes() };
}

/** torch.set_flush_denormal(mode): flush denormal floats to zero on CPU; false where the CPU cannot. */
export function setFlushDenormal(mode: boolean): boolean {
  return native.backendFlag('flushDenormal', mode) as boolean;
}

/** torch.set_warn_always(b): libtorch's warn-once warnings then fire every time. */
export function setWarnAlways(on: boolean): void {
  native.backendFlag('warnAlways', on);
}

export function isWarnAlwaysEnabled(): boolean {
  return native.backendFlag('warnAlways') as boolean;
}
