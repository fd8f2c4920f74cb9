// Tensor names PyTorch 1.13 still has for old code: methods that only raise, saying what replaced
// them (eig, lstsq, solve, reinforce; torch.eig, torch.lstsq, torch.solve, torch.matrixRank), so a
// ported script gets Python's guidance instead of "x.eig is not a function"; the backend flags
// (isMkldnn, isNested, isVulkan, isOrt); the named-tensor queries of an unnamed tensor (torch-node
// has no named tensors); ipu()/xpu(), which this libtorch is not built for; and the removed
// `volatile` flag with Python's warnings.
import { TorchError, warn } from '../errors';
import { native } from '../native';
import { aten } from './aten';
import { Device, DeviceLike, toDevice } from './device';
import { Tensor } from './tensor';

const removedIn19 = (replacement: string): string =>
  `This function was deprecated since version 1.9 and is now removed. Please use the \`torch.linalg.${replacement}\` function instead.`;
// Python raises these two with two arguments: their message prints as a tuple of both
const removedIn19Pair = (replacement: string): string =>
  `('This function was deprecated since version 1.9 and is now removed.', 'Please use the \`torch.linalg.${replacement}\` function instead.')`;

const REINFORCE_REMOVED = `reinforce() was removed.
Use torch.distributions instead.
See https://pytorch.org/docs/master/distributions.html

Instead of:

probs = policy_network(state)
action = probs.multinomial()
next_state, reward = env.step(action)
action.reinforce(reward)
action.backward()

Use:

probs = policy_network(state)
# NOTE: categorical is equivalent to what used to be called multinomial
m = torch.distributions.Categorical(probs)
action = m.sample()
next_state, reward = env.step(action)
loss = -m.log_prob(action) * reward
loss.backward()
`;

/** torch.eig(input, eigenvectors=False): removed in 1.9; raises Python's RuntimeError naming torch.linalg.eig. */
export function eig(..._args: unknown[]): never {
  throw new TorchError(removedIn19('eig'));
}
/** torch.solve(input, A): removed in 1.9; raises Python's RuntimeError naming torch.linalg.solve. */
export function solve(..._args: unknown[]): never {
  throw new TorchError(removedIn19('solve'));
}
/** torch.lstsq(input, A): removed in 1.9; raises Python's RuntimeError naming torch.linalg.lstsq. */
export function lstsq(..._args: unknown[]): never {
  throw new TorchError(removedIn19Pair('lstsq'));
}
/** torch.matrix_rank(input, tol=None, symmetric=False): removed in 1.9; raises Python's RuntimeError naming torch.linalg.matrix_rank. */
export function matrixRank(..._args: unknown[]): never {
  throw new TorchError(removedIn19Pair('matrix_rank'));
}

const MKLDNN_LAYOUT = 3;
const nestedSize = aten('_nested_tensor_size');

/** Whether a tensor is a nested tensor: only those refuse sizes() and answer _nested_tensor_size. */
function isNestedTensor(t: Tensor): boolean {
  native.dim(t._h); // a disposed tensor raises here
  try {
    native.shape(t._h);
    return false;
  } catch {
    try {
      nestedSize([t]);
      return true;
    } catch {
      return false;
    }
  }
}

/** Python's x.ipu()/x.xpu(): another device kind must be refused; this libtorch has neither. */
function toUnlinkedDevice(kind: string, device: DeviceLike | number | null | undefined): never {
  if (device !== undefined && device !== null) {
    // Python reads a bare index as a CUDA device
    const target = typeof device === 'number' ? new Device('cuda', device) : toDevice(device);
    if (target.type !== kind) throw new TorchError(`Invalid device, must be ${kind} device`);
  }
  throw new TorchError(`PyTorch is not linked with support for ${kind} devices`);
}

/** Python's x.ipu()/x.xpu() keyword arguments, accepted as there. */
export interface UnlinkedDeviceOptions {
  nonBlocking?: boolean;
  memoryFormat?: unknown;
}

declare module './tensor' {
  interface Tensor {
    /** Removed in PyTorch 1.9: raises Python's RuntimeError naming torch.linalg.eig. */
    eig(eigenvectors?: boolean): never;
    /** Removed in PyTorch 1.9: raises Python's RuntimeError naming torch.linalg.lstsq. */
    lstsq(other: Tensor): never;
    /** Removed in PyTorch 1.9: raises Python's RuntimeError naming torch.linalg.solve. */
    solve(other: Tensor): never;
    /** Removed long ago: raises Python's RuntimeError explaining the torch.distributions way. */
    reinforce(reward: unknown): never;
    /** Python's x.is_mkldnn: an MKL-DNN (oneDNN) layout tensor (x.toMkldnn()). */
    readonly isMkldnn: boolean;
    /** Python's x.is_nested: a nested tensor. */
    readonly isNested: boolean;
    /** Python's x.is_vulkan */
    readonly isVulkan: boolean;
    /** Python's x.is_ort */
    readonly isOrt: boolean;
    /** Python's x.has_names(): false, torch-node has no named tensors. */
    hasNames(): boolean;
    /** Python's x.names: one null (None) per dimension, torch-node has no named tensors. */
    readonly names: null[];
    /** Python's x.ipu(): raises, this libtorch has no IPU support (an other device: "Invalid device"). */
    ipu(device?: DeviceLike | number | null, options?: UnlinkedDeviceOptions): never;
    /** Python's x.xpu(): raises, this libtorch has no XPU support (an other device: "Invalid device"). */
    xpu(device?: DeviceLike | number | null, options?: UnlinkedDeviceOptions): never;
    /** Python's x.volatile: removed, always false (reading and setting warn as in Python). */
    volatile: boolean;
  }
}

function method(name: string, value: (this: Tensor, ...args: never[]) => unknown): void {
  Object.defineProperty(Tensor.prototype, name, { value, writable: true, configurable: true });
}
function getter(name: string, get: (this: Tensor) => unknown, set?: (this: Tensor, v: unknown) => void): void {
  Object.defineProperty(Tensor.prototype, name, { get, set, configurable: true });
}

method('eig', function () {
  return eig();
});
method('lstsq', function () {
  return lstsq();
});
method('solve', function () {
  return solve();
});
method('reinforce', function () {
  throw new TorchError(REINFORCE_REMOVED);
});
getter('isMkldnn', function () {
  return native.layout(this._h) === MKLDNN_LAYOUT;
});
getter('isNested', function () {
  return isNestedTensor(this);
});
getter('isVulkan', function () {
  return this.device.type === 'vulkan';
});
getter('isOrt', function () {
  return this.device.type === 'ort';
});
method('hasNames', function () {
  return false;
});
getter('names', function () {
  return new Array<null>(this.dim()).fill(null);
});
method('ipu', function (device?: DeviceLike | number | null) {
  return toUnlinkedDevice('ipu', device);
});
method('xpu', function (device?: DeviceLike | number | null) {
  return toUnlinkedDevice('xpu', device);
});
getter(
  'volatile',
  function () {
    warn('volatile was removed (Variable.volatile is always False)');
    return false;
  },
  function () {
    warn('volatile was removed and now has no effect. Use `with torch.no_grad():` instead.');
  },
);
