// torch.nn.init: parameter initialisers. Each runs without recording gradients and draws from the
// random generator in exactly the order PyTorch 1.13's torch/nn/init.py does, so the same
// torch.manualSeed gives the same weights as Python.
import * as torch from './functional/torch';
import { Tensor, TorchError } from './functional/torch';
import { snakeCase } from './functional/enums';
import { checkKeywords, keysOf } from '../keywords';
import { warn } from '../errors';

export type FanMode = 'fan_in' | 'fan_out' | 'fanIn' | 'fanOut';

const LINEAR_FNS = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d'];

/** nn.init.calculate_gain(nonlinearity, param) */
export function calculateGain(nonlinearity: string, param?: number | null): number {
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
export function uniform_(tensor: Tensor, a = 0, b = 1): Tensor {
  return torch.noGrad(() => tensor.uniform_(a, b));
}

/** nn.init.normal_(tensor, mean=0, std=1) */
export function normal_(tensor: Tensor, mean = 0, std = 1): Tensor {
  return torch.noGrad(() => tensor.normal_(mean, std));
}

const normCdf = (x: number): number => (1 + erf(x / Math.SQRT2)) / 2;

/** nn.init.trunc_normal_(tensor, mean=0, std=1, a=-2, b=2): inverse-CDF sampling, as PyTorch. */
export function truncNormal_(tensor: Tensor, mean = 0, std = 1, a = -2, b = 2): Tensor {
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
export function constant_(tensor: Tensor, val: number): Tensor {
  return torch.noGrad(() => tensor.fill_(val));
}

/** nn.init.ones_(tensor) */
export function ones_(tensor: Tensor): Tensor {
  return torch.noGrad(() => tensor.fill_(1));
}

/** nn.init.zeros_(tensor) */
export function zeros_(tensor: Tensor): Tensor {
  return torch.noGrad(() => tensor.zero_());
}

/** nn.init.eye_(tensor): the identity matrix in a 2-D tensor. */
export function eye_(tensor: Tensor): Tensor {
  if (tensor.dim() !== 2) throw new TorchError('Only tensors with 2 dimensions are supported');
  const [n, m] = tensor.shape;
  return torch.noGrad(() => tensor.copy_(torch.eye(n, m, { dtype: tensor.dtype })));
}

/** nn.init.dirac_(tensor, groups=1): identity-preserving conv weights (3-, 4- or 5-D). */
export function dirac_(tensor: Tensor, groups = 1): Tensor {
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
export function xavierUniform_(tensor: Tensor, gain = 1): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  const a = Math.sqrt(3.0) * std;
  return uniform_(tensor, -a, a);
}

/** nn.init.xavier_normal_(tensor, gain=1) */
export function xavierNormal_(tensor: Tensor, gain = 1): Tensor {
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
const KAIMING_KEYS = keysOf<KaimingOptions>()('a', 'mode', 'nonlinearity');

function kaimingStd(tensor: Tensor, o: KaimingOptions): number {
  const fan = correctFan(tensor, o.mode ?? 'fan_in');
  return calculateGain(o.nonlinearity ?? 'leaky_relu', o.a ?? 0) / Math.sqrt(fan);
}

function emptyNoOp(tensor: Tensor): boolean {
  if (!tensor.shape.includes(0)) return false;
  warn('Initializing zero-element tensors is a no-op');
  return true;
}

/** nn.init.kaiming_uniform_(tensor, {a, mode, nonlinearity}) */
export function kaimingUniform_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  checkKeywords('kaimingUniform_', options, KAIMING_KEYS);
  if (emptyNoOp(tensor)) return tensor;
  const bound = Math.sqrt(3.0) * kaimingStd(tensor, options);
  return torch.noGrad(() => tensor.uniform_(-bound, bound));
}

/** nn.init.kaiming_normal_(tensor, {a, mode, nonlinearity}) */
export function kaimingNormal_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  checkKeywords('kaimingNormal_', options, KAIMING_KEYS);
  if (emptyNoOp(tensor)) return tensor;
  const std = kaimingStd(tensor, options);
  return torch.noGrad(() => tensor.normal_(0, std));
}

/** nn.init.orthogonal_(tensor, gain=1): a (semi-)orthogonal matrix from the QR of a normal draw. */
export function orthogonal_(tensor: Tensor, gain = 1): Tensor {
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
export function sparse_(tensor: Tensor, sparsity: number, std = 0.01): Tensor {
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
