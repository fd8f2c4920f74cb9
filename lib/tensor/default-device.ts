// torch.set_default_device / torch.get_default_device (PyTorch 2.0 / 2.3): the device the tensor
// factories use when given none (zeros, ones, empty, full, rand*, arange, tensor, asTensor, ...),
// never the *Like ones, which follow their input. Python does this with a TorchFunctionMode; here
// the factories' options funnel (create.ts factoryKwargs, tensor, asTensor) reads it.
import { native } from '../native';
import { Device, DeviceLike, toDevice } from './device';

let current: Device | null = null;

/** torch.set_default_device(device): null (Python's None) restores the CPU default. */
export function setDefaultDevice(device: DeviceLike | null): void {
  current = device === null ? null : toDevice(device);
}

/** torch.get_default_device(): cpu unless set; 'cuda' without an index reads as the current CUDA device. */
export function getDefaultDevice(): Device {
  if (current === null) return new Device('cpu');
  if (current.type === 'cuda' && current.index === null) return new Device('cuda', native.cudaCurrentDevice());
  return current;
}

/** The device set by setDefaultDevice, or undefined when none is (the factories' own default, CPU). */
export function defaultDevice(): Device | undefined {
  return current ?? undefined;
}
