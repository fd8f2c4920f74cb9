// PerChannelMinMaxObserver and MovingAveragePerChannelMinMaxObserver (observer.py): a minimum and
// maximum per slice along chAxis (the output channels of a weight), as per-channel qparams.
import { NotImplementedError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { empty, tensor } from '../../../tensor/create';
import { quint8 } from '../../../tensor/dtype';
import { noGrad } from '../../../autograd/grad-mode';
import { ArgsOf, signature } from '../../../keywords';
import { QScheme, perChannelAffine, perChannelSymmetric } from '../qscheme';
import { UniformArgs, UniformQuantizationObserverBase, factoryOptions, isPerChannel } from './base';

export interface PerChannelMinMaxObserverArgs extends UniformArgs {
  chAxis?: number;
}
const PER_CHANNEL = signature<PerChannelMinMaxObserverArgs>()([], ['chAxis', 'dtype', 'qscheme', 'reduceRange', 'quantMin', 'quantMax', 'factoryKwargs', 'eps']);

function checkedPerChannel<A extends UniformArgs>(a: A, cls: string): A & { qscheme: QScheme } {
  const qscheme = a.qscheme ?? perChannelAffine;
  if (!isPerChannel(qscheme)) {
    throw new NotImplementedError(`${cls}'s qscheme only support                     torch.per_channel_symmetric, torch.per_channel_affine and torch.per_channel_affine_float_qparams.`);
  }
  return { ...a, qscheme };
}

/** x's slices along axis as rows: [channels, rest]. */
function channelRows(x: Tensor, axis: number): Tensor {
  const order = x.shape.map((_, i) => i);
  order[axis < 0 ? axis + order.length : axis] = 0;
  order[0] = axis;
  return x.permute(order).flatten(1);
}

export class PerChannelMinMaxObserver extends UniformQuantizationObserverBase {
  chAxis: number;
  min_val!: Tensor;
  max_val!: Tensor;

  /** PerChannelMinMaxObserver(chAxis = 0, dtype = quint8, qscheme = per_channel_affine, reduceRange, quantMin, quantMax, factoryKwargs, eps), any by name. */
  constructor(...args: ArgsOf<typeof PER_CHANNEL>) {
    const a = checkedPerChannel(PER_CHANNEL.bind('PerChannelMinMaxObserver', args), 'PerChannelMinMaxObserver');
    super(a);
    const factory = factoryOptions(a.factoryKwargs);
    this.chAxis = a.chAxis ?? 0;
    this.registerBuffer('min_val', tensor([], factory));
    this.registerBuffer('max_val', tensor([], factory));
    if (this.qscheme === perChannelSymmetric && this.reduceRange && this.dtype === quint8) {
      throw new NotImplementedError('Cannot reduce range for symmetric quantization for quint8');
    }
  }

  /** Records the running per-channel minimum and maximum; returns x. */
  forward(xOrig: Tensor): Tensor {
    return this._forward(xOrig);
  }

  protected _forward(xOrig: Tensor): Tensor {
    if (xOrig.numel() === 0) return xOrig;
    noGrad(() => {
      const y = channelRows(xOrig.detach(), this.chAxis).to(this.min_val.dtype);
      let [min, max] = [this.min_val, this.max_val];
      const [minCur, maxCur] = y.aminmax({ dim: 1 });
      if (min.numel() === 0 || max.numel() === 0) [min, max] = [minCur, maxCur];
      else [min, max] = [minCur.minimum(min), maxCur.maximum(max)];
      this.storeMinMax(min, max);
    });
    return xOrig;
  }

  protected storeMinMax(min: Tensor, max: Tensor): void {
    this.min_val.resize_(min.shape);
    this.max_val.resize_(max.shape);
    this.min_val.copy_(min);
    this.max_val.copy_(max);
  }

  /** [scales, zeroPoints], one per channel. */
  calculateQparams(): [Tensor, Tensor] {
    return this._calculateQparams(this.min_val, this.max_val);
  }

  /** Forgets the minima and maxima. */
  resetMinMaxVals(): void {
    this.min_val = empty([0]);
    this.max_val = empty([0]);
  }

  extraRepr(): string {
    return `min_val=${String(this.min_val)}, max_val=${String(this.max_val)}`;
  }

  protected _loadFromStateDict(
    stateDict: Map<string, unknown>,
    prefix: string,
    missingKeys: string[],
    unexpectedKeys: string[],
    errorMsgs: string[],
    localMetadata: { version?: number } = {},
  ): void {
    // the buffers take the saved number of channels before the copy
    for (const [name, buffer] of [['min_val', this.min_val], ['max_val', this.max_val]] as [string, Tensor][]) {
      const val = stateDict.get(prefix + name);
      if (val instanceof Tensor) buffer.resize_(val.shape);
    }
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs, localMetadata);
  }
}

export interface MovingAveragePerChannelMinMaxObserverArgs extends PerChannelMinMaxObserverArgs {
  averagingConstant?: number;
}
const MOVING_PER_CHANNEL = signature<MovingAveragePerChannelMinMaxObserverArgs>()(
  [],
  ['averagingConstant', 'chAxis', 'dtype', 'qscheme', 'reduceRange', 'quantMin', 'quantMax', 'eps'],
  ['factoryKwargs'],
);

export class MovingAveragePerChannelMinMaxObserver extends PerChannelMinMaxObserver {
  averagingConstant: number;

  /** MovingAveragePerChannelMinMaxObserver(averagingConstant = 0.01, chAxis = 0, dtype, qscheme, reduceRange, quantMin, quantMax, eps, { factoryKwargs }). */
  constructor(...args: ArgsOf<typeof MOVING_PER_CHANNEL>) {
    const { averagingConstant, ...rest } = checkedPerChannel(MOVING_PER_CHANNEL.bind('MovingAveragePerChannelMinMaxObserver', args), 'MovingAveragePerChannelMinMaxObserver');
    super(rest);
    this.averagingConstant = averagingConstant ?? 0.01;
  }

  /** Moves the per-channel minima and maxima towards x's by averagingConstant; returns x. */
  forward(xOrig: Tensor): Tensor {
    if (xOrig.numel() === 0) return xOrig;
    noGrad(() => {
      const y = channelRows(xOrig.detach().to(this.min_val.dtype), this.chAxis);
      let [min, max] = [this.min_val, this.max_val];
      const [minCur, maxCur] = y.aminmax({ dim: 1 });
      if (min.numel() === 0 || max.numel() === 0) [min, max] = [minCur, maxCur];
      else {
        min = min.add(minCur.sub(min).mul(this.averagingConstant));
        max = max.add(maxCur.sub(max).mul(this.averagingConstant));
      }
      this.storeMinMax(min, max);
    });
    return xOrig;
  }
}
