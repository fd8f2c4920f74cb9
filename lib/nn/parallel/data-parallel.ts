// nn.DataParallel (torch/nn/parallel/data_parallel.py) for the one-device case PyTorch itself
// special-cases: without CUDA it calls the wrapped module as it is; with CUDA it keeps the module
// on deviceIds[0] and moves the inputs there. Ported scripts wrap models this way, and what they save
// keeps Python's 'module.'-prefixed state_dict keys. Several GPUs run on the first one only (with a
// warning): replicas per device are not implemented.
import { TorchError, warn } from '../../errors';
import { Module } from '../module';
import { Device } from '../../tensor/device';
import { deviceCount } from '../../cuda/runtime';
import { mapTensors } from '../../data/kinds';
import { Tensor } from '../../tensor/tensor';
import { Call, signature } from '../../keywords';

type CudaDevice = number | string | Device;

/** DataParallel's parameters by name: DataParallel(module, device_ids=None, output_device=None, dim=0). */
export interface DataParallelArgs<M extends Module = Module> {
  module: M;
  deviceIds?: CudaDevice[] | null;
  outputDevice?: CudaDevice | null;
  dim?: number;
}
const DATA_PARALLEL = signature<DataParallelArgs>()(['module'], ['deviceIds', 'outputDevice', 'dim']);

/** Python's _get_device_index(device, optional=True) for a CUDA device. */
function cudaIndex(d: CudaDevice): number {
  if (typeof d === 'number') return d;
  const dev = typeof d === 'string' ? new Device(d) : d;
  if (dev.type !== 'cuda') throw new TorchError(`Expected a cuda device, but got: ${String(dev)}`);
  return dev.index ?? 0;
}

export class DataParallel<M extends Module = Module> extends Module {
  module: M;
  /** The CUDA devices (indices); empty without CUDA, where forward calls the module directly. */
  deviceIds: number[];
  outputDevice: number | null;
  dim: number;

  /** DataParallel(module, deviceIds?, outputDevice?, dim = 0) */
  constructor(...args: Call<DataParallelArgs<M>, ['module'], ['deviceIds', 'outputDevice', 'dim']>) {
    super();
    const a = DATA_PARALLEL.bind('DataParallel', args) as DataParallelArgs<M>;
    if (!(a.module instanceof Module)) throw new TorchError(`DataParallel() expects an nn.Module, got ${typeof a.module}`);
    this.module = a.module;
    this.dim = a.dim ?? 0;
    const gpus = deviceCount();
    if (gpus === 0) {
      this.deviceIds = [];
      this.outputDevice = null;
      return;
    }
    this.deviceIds = (a.deviceIds ?? Array.from({ length: gpus }, (_, i) => i)).map(cudaIndex);
    if (this.deviceIds.length === 0) throw new TorchError('DataParallel() needs at least one device in deviceIds');
    this.outputDevice = a.outputDevice === undefined || a.outputDevice === null ? this.deviceIds[0] : cudaIndex(a.outputDevice);
    if (this.deviceIds.length > 1) {
      warn(`DataParallel runs the module on cuda:${this.deviceIds[0]} only in torch-node (${this.deviceIds.length} devices given); run one process per GPU to use them all`);
    }
    this.module.to(`cuda:${this.deviceIds[0]}`);
  }

  forward(...inputs: Parameters<M['forward']>): ReturnType<M['forward']> {
    const call = this.module as unknown as (...a: unknown[]) => ReturnType<M['forward']>;
    if (this.deviceIds.length === 0) return call(...inputs);
    const src = `cuda:${this.deviceIds[0]}`;
    for (const t of [...this.module.parameters(), ...this.module.buffers()]) {
      if (String(t.device) !== src) {
        throw new TorchError(`module must have its parameters and buffers on device ${src} (device_ids[0]) but found one of them on device: ${String(t.device)}`);
      }
    }
    const moved = mapTensors(inputs, (t) => t.to(src)) as unknown[];
    const out = call(...moved);
    if (this.outputDevice === this.deviceIds[0]) return out;
    return mapTensors(out, (t: Tensor) => t.to(`cuda:${this.outputDevice}`)) as ReturnType<M['forward']>;
  }
}
