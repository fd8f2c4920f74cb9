// nn.CrossMapLRN2d (torch/nn/modules/normalization.py): Lua Torch's local response normalisation
// across channels, kept for old models. Its autograd function (torch/nn/modules/_functions.py) has a
// hand-written backward, and both passes keep that code's channel windows as they are: the forward
// window grows past `size` on later channels, and the backward uses a window of its own. So it is
// not LocalResponseNorm, and it is computed here step by step as Python does, channel by channel.
import { AssertionError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { emptyLike, zeros } from '../../tensor/create';
import { AutogradFunction, FunctionCtx } from '../../autograd/function';
import { tidy } from '../../memory/scope';
import { Module } from '../module';
import { ArgsOf, signature } from '../../keywords';
import { pyNumber } from '../../py-format';

interface CrossMapLrnCtx extends FunctionCtx {
  size: number;
  alpha: number;
  beta: number;
}

/** k + alpha/size * (running sum of squares over Python's channel windows), per position. */
function crossMapScale(input: Tensor, size: number, alpha: number, k: number): Tensor {
  const channels = input.size(1);
  const squares = input.pow(2);
  const prePad = Math.trunc((size - 1) / 2 + 1);
  const scale = emptyLike(input);
  const first = scale.select(1, 0).zero_();
  for (let c = 0; c < Math.min(prePad, channels); c++) first.add_(squares.select(1, c));
  // each channel's sum from the previous one: the next square in, the oldest out (Python's bounds)
  for (let c = 1; c < channels; c++) {
    const current = scale.select(1, c).copy_(scale.select(1, c - 1));
    if (c < channels - prePad + 1) current.add_(squares.select(1, c + prePad - 1));
    if (c > prePad) current.sub_(squares.select(1, c - prePad));
  }
  return scale.mul_(alpha / size).add_(k);
}

export class CrossMapLRN2dFunction extends AutogradFunction {
  static forward(fnCtx: FunctionCtx, input: Tensor, size: number, alpha = 1e-4, beta = 0.75, k = 1): Tensor {
    if (input.dim() !== 4) throw new AssertionError();
    const ctx = fnCtx as CrossMapLrnCtx;
    Object.assign(ctx, { size, alpha, beta });
    const [output, scale] = tidy(() => {
      const s = crossMapScale(input, size, alpha, k);
      return [s.pow(-beta).mul_(input), s];
    });
    ctx.saveForBackward(input, output, scale);
    return output;
  }

  static backward(fnCtx: FunctionCtx, gradOutput: Tensor): (Tensor | null)[] {
    const ctx = fnCtx as CrossMapLrnCtx;
    const [input, output, scale] = ctx.savedTensors as Tensor[];
    return [tidy(() => crossMapGrad(ctx, input, output, scale, gradOutput)), null, null, null, null];
  }
}

/** The backward, all samples at once (Python loops over them; each sample's arithmetic is the same). */
function crossMapGrad(ctx: CrossMapLrnCtx, input: Tensor, output: Tensor, scale: Tensor, gradOutput: Tensor): Tensor {
  const { size, alpha, beta } = ctx;
  const [batch, channels, height, width] = input.shape;
  const ratioFactor = (2 * alpha * beta) / size;
  const inversePrePad = Math.trunc(size - (size - 1) / 2);
  const gradInput = scale.pow(-beta).mul_(gradOutput);
  const padded = zeros([batch, channels + size - 1, height, width], { dtype: input.dtype, device: input.device });
  padded.narrow(1, inversePrePad, channels).copy_(gradOutput.mul(output)).div_(scale);
  const accum = padded.narrow(1, 0, size - 1).sum(1);
  for (let c = 0; c < channels; c++) {
    accum.add_(padded.select(1, c + size - 1));
    gradInput.select(1, c).addcmul_(input.select(1, c), accum, { value: -ratioFactor });
    accum.sub_(padded.select(1, c));
  }
  return gradInput;
}

export interface CrossMapLRN2dOptions {
  alpha?: number;
  beta?: number;
  k?: number;
}
/** CrossMapLRN2d's parameters by name: CrossMapLRN2d(size, alpha=0.0001, beta=0.75, k=1). */
export interface CrossMapLRN2dArgs extends CrossMapLRN2dOptions {
  size: number;
}
const CROSS_MAP_LRN = signature<CrossMapLRN2dArgs>()(['size'], ['alpha', 'beta', 'k']);

export class CrossMapLRN2d extends Module {
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;

  /** CrossMapLRN2d(size, alpha = 1e-4, beta = 0.75, k = 1), any of them by name */
  constructor(...args: ArgsOf<typeof CROSS_MAP_LRN>) {
    super();
    const o = CROSS_MAP_LRN.bind('CrossMapLRN2d', args);
    this.size = o.size;
    this.alpha = o.alpha ?? 1e-4;
    this.beta = o.beta ?? 0.75;
    this.k = o.k ?? 1;
  }

  forward(input: Tensor): Tensor {
    return CrossMapLRN2dFunction.apply(input, this.size, this.alpha, this.beta, this.k);
  }

  extraRepr(): string {
    // Python prints the values as given (k's default is the int 1): a whole number as an int
    return `${this.size}, alpha=${pyNumber(this.alpha)}, beta=${pyNumber(this.beta)}, k=${pyNumber(this.k)}`;
  }
}
