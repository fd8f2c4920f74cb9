// torch.nn.parallel.data_parallel (data_parallel.py): DataParallel's functional form, which scripts
// call per forward (pytorch/examples' dcgan: data_parallel(self.main, input, range(self.ngpu))).
// As the class, it runs on device_ids[0] only (several GPUs: a warning). Without CUDA, Python's
// function fails on its device lookup; the same errors are raised here.
import { IndexError, PyTypeError, TorchError, warn } from '../../errors';
import { Module } from '../module';
import { Device } from '../../tensor/device';
import { Tensor } from '../../tensor/tensor';
import { deviceCount } from '../../cuda/runtime';
import { mapTensors } from '../../data/kinds';
import { ArgsOf, signature } from '../../keywords';

type CudaDevice = number | string | Device;

/** data_parallel(module, inputs, device_ids=None, output_device=None, dim=0, module_kwargs=None) by name */
export interface DataParallelFunctionArgs {
  module: Module;
  /** one input, or an array for Python's tuple of inputs */
  inputs: unknown;
  deviceIds?: Iterable<CudaDevice> | null;
  outputDevice?: CudaDevice | null;
  dim?: number;
  /** keyword arguments of the module's forward: passed as its trailing options object */
  moduleKwargs?: Record<string, unknown> | null;
}
const DATA_PARALLEL_FN = signature<DataParallelFunctionArgs>()(['module', 'inputs'], ['deviceIds', 'outputDevice', 'dim', 'moduleKwargs']);

function cudaIndex(d: CudaDevice): number {
  if (typeof d === 'number') return d;
  const dev = typeof d === 'string' ? new Device(d) : d;
  if (dev.type !== 'cuda') throw new TorchError(`Expected a cuda device, but got: ${String(dev)}`);
  return dev.index ?? 0;
}

/** Evaluates module(inputs) on device_ids[0]; the output goes to outputDevice (default device_ids[0]). */
export function dataParallel(...args: ArgsOf<typeof DATA_PARALLEL_FN>): unknown {
  const a = DATA_PARALLEL_FN.bind('data_parallel', args);
  const inputs = Array.isArray(a.inputs) ? a.inputs : a.inputs === null || a.inputs === undefined ? [] : [a.inputs];
  const cuda = deviceCount() > 0;   // Python's _get_available_device_type(): None without one
  const given = a.deviceIds === null || a.deviceIds === undefined ? null : [...a.deviceIds];
  const ids = given ?? (cuda ? Array.from({ length: deviceCount() }, (_, i) => i) : null);
  if (ids === null) throw new PyTypeError("'NoneType' object is not subscriptable");
  if (ids.length === 0) throw new IndexError('list index out of range');
  if (!cuda) throw new PyTypeError("Device(): argument 'type' (position 1) must be str, not NoneType");
  const deviceIds = ids.map(cudaIndex);
  const outputDevice = a.outputDevice === null || a.outputDevice === undefined ? deviceIds[0] : cudaIndex(a.outputDevice);
  const src = `cuda:${deviceIds[0]}`;
  for (const t of [...a.module.parameters(), ...a.module.buffers()]) {
    if (String(t.device) !== src) {
      throw new TorchError(`module must have its parameters and buffers on device ${src} (device_ids[0]) but found one of them on device: ${String(t.device)}`);
    }
  }
  const moved = mapTensors(inputs, (t) => t.to(src)) as unknown[];
  const kwargs = a.moduleKwargs ? [mapTensors(a.moduleKwargs, (t) => t.to(src))] : [];
  const call = a.module as unknown as (...xs: unknown[]) => unknown;
  const out = call(...moved, ...kwargs);
  if (deviceIds.length === 1) return out;   // Python returns the one replica's output as it is
  warn(`data_parallel runs the module on ${src} only in torch-node (${deviceIds.length} devices given); run one process per GPU to use them all`);
  return mapTensors(out, (t: Tensor) => t.to(`cuda:${outputDevice}`));
}
