// torch.device: 'cpu', 'cuda', 'cuda:1'. Parsing is libtorch's own (c10::Device) on the native side;
// this class is the JS value PyTorch users print and compare.
import { TorchError } from '../errors';

export class Device {
  readonly type: string;
  readonly index: number | null;
  constructor(spec: string, index?: number) {
    const m = /^([a-z_]+)(?::(\d+))?$/.exec(spec);
    if (!m) throw new TorchError(`Expected one of cpu, cuda, ... device type at start of device string: ${spec}`);
    this.type = m[1];
    this.index = index ?? (m[2] !== undefined ? Number(m[2]) : null);
    Object.freeze(this);
  }
  /** 'cuda:0', as str(torch.device(...)) */
  toString(): string {
    return this.index === null ? this.type : `${this.type}:${this.index}`;
  }
  equals(other: DeviceLike): boolean {
    const o = toDevice(other);
    return o.type === this.type && o.index === this.index;
  }
  /** Python's repr: device(type='cuda', index=0) */
  repr(): string {
    return this.index === null ? `device(type='${this.type}')` : `device(type='${this.type}', index=${this.index})`;
  }
  /** console.log(device) prints as Python's print(device) does: 'cuda:0' */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

export type DeviceLike = Device | string;

/** Whether a string argument of to() names a device ('cuda:1') rather than a dtype ('float64'). */
export function isDeviceString(s: string): boolean {
  return /^(cpu|cuda|mps|meta)(:\d+)?$/.test(s);
}

/** torch.device('cuda:0') or torch.device('cuda', 0) */
export function device(spec: DeviceLike, index?: number): Device {
  return spec instanceof Device ? spec : new Device(spec, index);
}

export function toDevice(d: DeviceLike): Device {
  return d instanceof Device ? d : new Device(d);
}

const cpuDevice = new Device('cpu');
/** Devices of tensors, cached: tensors are on the CPU almost always. */
export function deviceFromString(s: string): Device {
  return s === 'cpu' ? cpuDevice : new Device(s);
}
