// torch.nn.init: parameter initialisers. Each runs without recording gradients and draws from the
// random generator in exactly the order PyTorch 1.13's torch/nn/init.py does, so the same
// torch.manualSeed gives the same weights as Python.
import * as torch from './functional/torch';
import { Tensor, TorchError } from './functional/torch';
import { snakeCase } from './functional/enums';
import { ArgsOf, signature } from '../keywords';
import { warn } from '../errors';

export type FanMode = 'fan_in' | 'fan_out' | 'fanIn' | 'fanOut';

const LINEAR_FNS = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d'];

// Every initialiser takes Python's parameters positionally or by keyword, with Python's TypeErrors
// (unknown keyword, missing argument, multiple values): normal_(w, { std: 0.02 }), uniform_(w, -1, 1),
// kaimingNormal_(w, { mode: 'fan_out', nonlinearity: 'relu' }), calculateGain('leaky_relu', { param: 0.2 }).
type TensorArg = { tensor: Tensor };
const GAIN = signature<{ nonlinearity: string; param?: number | null }>()(['nonlinearity'], ['param']);
const UNIFORM = signature<TensorArg & { a?: number; b?: number }>()(['tensor'], ['a', 'b']);
const NORMAL = signature<TensorArg & { mean?: number; std?: number }>()(['tensor'], ['mean', 'std']);
const TRUNC_NORMAL = signature<TensorArg & { mean?: number; std?: number; a?: number; b?: number }>()(['tensor'], ['mean', 'std', 'a', 'b']);
const CONSTANT = signature<TensorArg & { val: number }>()(['tensor', 'val'], []);
const TENSOR_ONLY = signature<TensorArg>()(['tensor'], []);
const DIRAC = signature<TensorArg & { groups?: number }>()(['tensor'], ['groups']);
const GAIN_ONLY = signature<TensorArg & { gain?: number }>()(['tensor'], ['gain']);
const KAIMING = signature<TensorArg & KaimingOptions>()(['tensor'], ['a', 'mode', 'nonlinearity']);
const SPARSE = signature<TensorArg & { sparsity: number; std?: number }>()(['tensor', 'sparsity'], ['std']);

/** nn.init.calculate_gain(nonlinearity, param=None) */
export function calculateGain(...args: ArgsOf<typeof GAIN>): number {
  const { nonlinearity, param } = GAIN.bind('calculateGain', args);
  const name = snakeCase(nonlinearity);
  if (LINEAR_FNS.includes(name) || name === 'sigmoid') return 1;
  if (name === 'tanh') return 5.0 / 3;
  if (name === 'relu') return Math.sqrt(2.0);
  if (name === 'leaky_relu') {
    if (param !== undefined && param !== null && typeof param !== 'number') {
      throw new TorchError(`negative_slope ${String(param)} not a valid number`);
    }
    const slope = param ?? 0.01;
    return Math.sqrt(2.0 / (1 + slope ** 2));
  }
  if (name === 'selu') return 3.0 / 4;
  throw new TorchError(`Unsupported nonlinearity ${nonlinearity}`);
}

/** nn.init._calculate_fan_in_and_fan_out(tensor) -> [fanIn, fanOut] */
export function calculateFanInAndFanOut(tensor: Tensor): [number, number] {
  const shape = tensor.shape;
  if (shape.length < 2) throw new TorchError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  const receptive = shape.slice(2).reduce((p, s) => p * s, 1);
  return [shape[1] * receptive, shape[0] * receptive];
}
export { calculateFanInAndFanOut as _calculateFanInAndFanOut };

function correctFan(tensor: Tensor, mode: string): number {
  const m = snakeCase(mode);
  if (m !== 'fan_in' && m !== 'fan_out') throw new TorchError(`Mode ${mode} not supported, please use one of ['fan_in', 'fan_out']`);
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  return m === 'fan_in' ? fanIn : fanOut;
}

/** nn.init.uniform_(tensor, a=0, b=1) */
export function uniform_(...args: ArgsOf<typeof UNIFORM>): Tensor {
  const { tensor, a = 0, b = 1 } = UNIFORM.bind('uniform_', args);
  return torch.noGrad(() => tensor.uniform_(a, b));
}

/** nn.init.normal_(tensor, mean=0, std=1) */
export function normal_(...args: ArgsOf<typeof NORMAL>): Tensor {
  const { tensor, mean = 0, std = 1 } = NORMAL.bind('normal_', args);
  return torch.noGrad(() => tensor.normal_(mean, std));
}

const normCdf = (x: number): number => (1 + erf(x / Math.SQRT2)) / 2;

/** nn.init.trunc_normal_(tensor, mean=0, std=1, a=-2, b=2): inverse-CDF sampling, as PyTorch. */
export function truncNormal_(...args: ArgsOf<typeof TRUNC_NORMAL>): Tensor {
  const { tensor, mean = 0, std = 1, a = -2, b = 2 } = TRUNC_NORMAL.bind('truncNormal_', args);
  if (mean < a - 2 * std || mean > b + 2 * std) {
    warn('mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect.');
  }
  return torch.noGrad(() => {
    const l = normCdf((a - mean) / std);
    const u = normCdf((b - mean) / std);
    tensor.uniform_(2 * l - 1, 2 * u - 1);
    tensor.erfinv_();
    tensor.mul_(std * Math.sqrt(2));
    tensor.add_(mean);
    tensor.clamp_(a, b);
    return tensor;
  });
}

/** nn.init.constant_(tensor, val) */
export function constant_(...args: ArgsOf<typeof CONSTANT>): Tensor {
  const { tensor, val } = CONSTANT.bind('constant_', args);
  return torch.noGrad(() => tensor.fill_(val));
}

/** nn.init.ones_(tensor) */
export function ones_(...args: ArgsOf<typeof TENSOR_ONLY>): Tensor {
  const { tensor } = TENSOR_ONLY.bind('ones_', args);
  return torch.noGrad(() => tensor.fill_(1));
}

/** nn.init.zeros_(tensor) */
export function zeros_(...args: ArgsOf<typeof TENSOR_ONLY>): Tensor {
  const { tensor } = TENSOR_ONLY.bind('zeros_', args);
  return torch.noGrad(() => tensor.zero_());
}

/** nn.init.eye_(tensor): the identity matrix in a 2-D tensor. */
export function eye_(...args: ArgsOf<typeof TENSOR_ONLY>): Tensor {
  const { tensor } = TENSOR_ONLY.bind('eye_', args);
  if (tensor.dim() !== 2) throw new TorchError('Only tensors with 2 dimensions are supported');
  const [n, m] = tensor.shape;
  return torch.noGrad(() => tensor.copy_(torch.eye(n, m, { dtype: tensor.dtype })));
}

/** nn.init.dirac_(tensor, groups=1): identity-preserving conv weights (3-, 4- or 5-D). */
export function dirac_(...args: ArgsOf<typeof DIRAC>): Tensor {
  const { tensor, groups = 1 } = DIRAC.bind('dirac_', args);
  const shape = tensor.shape;
  if (shape.length < 3 || shape.length > 5) throw new TorchError('Only tensors with 3, 4, or 5 dimensions are supported');
  if (shape[0] % groups !== 0) throw new TorchError('dim 0 must be divisible by groups');
  const perGroup = shape[0] / groups;
  const minDim = Math.min(perGroup, shape[1]);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, s) => p * s, 1));
  const centre = shape.slice(2).reduce((off, s, i) => off + Math.floor(s / 2) * strides[i + 2], 0);
  const values = new Array<number>(tensor.numel()).fill(0);
  for (let g = 0; g < groups; g++) {
    for (let d = 0; d < minDim; d++) values[(g * perGroup + d) * strides[0] + d * strides[1] + centre] = 1;
  }
  return torch.noGrad(() => tensor.copy_(torch.tensor(values, { dtype: tensor.dtype }).reshape(shape)));
}

/** nn.init.xavier_uniform_(tensor, gain=1) */
export function xavierUniform_(...args: ArgsOf<typeof GAIN_ONLY>): Tensor {
  const { tensor, gain = 1 } = GAIN_ONLY.bind('xavierUniform_', args);
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  const a = Math.sqrt(3.0) * std;
  return uniform_(tensor, -a, a);
}

/** nn.init.xavier_normal_(tensor, gain=1) */
export function xavierNormal_(...args: ArgsOf<typeof GAIN_ONLY>): Tensor {
  const { tensor, gain = 1 } = GAIN_ONLY.bind('xavierNormal_', args);
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  return normal_(tensor, 0, std);
}

export interface KaimingOptions {
  /** negative slope of the rectifier after this layer (leaky_relu only); default 0 */
  a?: number;
  mode?: FanMode;
  nonlinearity?: string;
}

function kaimingStd(tensor: Tensor, o: KaimingOptions): number {
  const fan = correctFan(tensor, o.mode ?? 'fan_in');
  return calculateGain(o.nonlinearity ?? 'leaky_relu', o.a ?? 0) / Math.sqrt(fan);
}

function emptyNoOp(tensor: Tensor): boolean {
  if (!tensor.shape.includes(0)) return false;
  warn('Initializing zero-element tensors is a no-op');
  return true;
}

/** nn.init.kaiming_uniform_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu') */
export function kaimingUniform_(...args: ArgsOf<typeof KAIMING>): Tensor {
  const { tensor, ...options } = KAIMING.bind('kaimingUniform_', args);
  if (emptyNoOp(tensor)) return tensor;
  const bound = Math.sqrt(3.0) * kaimingStd(tensor, options);
  return torch.noGrad(() => tensor.uniform_(-bound, bound));
}

/** nn.init.kaiming_normal_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu') */
export function kaimingNormal_(...args: ArgsOf<typeof KAIMING>): Tensor {
  const { tensor, ...options } = KAIMING.bind('kaimingNormal_', args);
  if (emptyNoOp(tensor)) return tensor;
  const std = kaimingStd(tensor, options);
  return torch.noGrad(() => tensor.normal_(0, std));
}

/** nn.init.orthogonal_(tensor, gain=1): a (semi-)orthogonal matrix from the QR of a normal draw. */
export function orthogonal_(...args: ArgsOf<typeof GAIN_ONLY>): Tensor {
  const { tensor, gain = 1 } = GAIN_ONLY.bind('orthogonal_', args);
  if (tensor.dim() < 2) throw new TorchError('Only tensors with 2 or more dimensions are supported');
  if (tensor.numel() === 0) return tensor;
  return torch.noGrad(() => {
    const rows = tensor.size(0);
    const cols = tensor.numel() / rows;
    let flattened = torch.empty([rows, cols], { dtype: tensor.dtype, device: tensor.device }).normal_(0, 1);
    if (rows < cols) flattened = flattened.t();
    let [q, r] = torch.linalg.qr(flattened);
    q = q.mul(r.diag(0).sign());
    if (rows < cols) q = q.t();
    tensor.viewAs(q).copy_(q);
    tensor.mul_(gain);
    return tensor;
  });
}

/** nn.init.sparse_(tensor, sparsity, std=0.01): per column, ceil(sparsity*rows) random zeros. */
export function sparse_(...args: ArgsOf<typeof SPARSE>): Tensor {
  const { tensor, sparsity, std = 0.01 } = SPARSE.bind('sparse_', args);
  if (tensor.dim() !== 2) throw new TorchError('Only tensors with 2 dimensions are supported');
  const [rows, cols] = tensor.shape;
  const numZeros = Math.ceil(sparsity * rows);
  return torch.noGrad(() => {
    tensor.normal_(0, std);
    for (let c = 0; c < cols; c++) {
      const zeroIndices = torch.randperm(rows).narrow(0, 0, numZeros);
      tensor.select(1, c).indexFill_(0, zeroIndices, 0);
    }
    return tensor;
  });
}

// JS has no Math.erf: libtorch's (the C library's erf, as Python's math.erf) for the truncation bounds.
function erf(x: number): number {
  return torch.special.erf(torch.tensor([x], { dtype: torch.float64 })).item() as number;
}
