// MinMaxObserver and MovingAverageMinMaxObserver (observer.py): the running (or exponentially
// averaged) minimum and maximum of everything observed, as per-tensor qparams.
import { NotImplementedError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { tensor } from '../../../tensor/create';
import { quint8 } from '../../../tensor/dtype';
import { noGrad } from '../../../autograd/grad-mode';
import { ArgsOf, signature } from '../../../keywords';
import { perTensorSymmetric } from '../qscheme';
import { UniformArgs, UniformQuantizationObserverBase, factoryOptions, formatValue, isPerTensor } from './base';

export type MinMaxObserverArgs = UniformArgs;
const MIN_MAX = signature<MinMaxObserverArgs>()([], ['dtype', 'qscheme', 'reduceRange', 'quantMin', 'quantMax', 'factoryKwargs', 'eps']);

export class MinMaxObserver extends UniformQuantizationObserverBase {
  min_val!: Tensor;
  max_val!: Tensor;

  /** MinMaxObserver(dtype = quint8, qscheme = per_tensor_affine, reduceRange = false, quantMin, quantMax, factoryKwargs, eps), any by name. */
  constructor(...args: ArgsOf<typeof MIN_MAX>) {
    const a = MIN_MAX.bind('MinMaxObserver', args);
    super(checkedPerTensor(a, "MinMaxObserver's qscheme only support torch.per_tensor_symmetric                     and torch.per_tensor_affine."));
    const factory = factoryOptions(a.factoryKwargs);
    this.registerBuffer('min_val', tensor(Infinity, factory));
    this.registerBuffer('max_val', tensor(-Infinity, factory));
    if (this.qscheme === perTensorSymmetric && this.reduceRange && this.dtype === quint8) {
      throw new NotImplementedError('Cannot reduce range for symmetric                                        quantization for quint8');
    }
  }

  /** Records the running minimum and maximum of x; returns x. */
  forward(xOrig: Tensor): Tensor {
    if (xOrig.numel() === 0) return xOrig;
    const [min, max] = [this.min_val, this.max_val];
    noGrad(() => {
      const x = xOrig.detach().to(min.dtype);
      const [minCur, maxCur] = x.aminmax();
      min.copy_(minCur.minimum(min));
      max.copy_(maxCur.maximum(max));
    });
    return xOrig;
  }

  /** [scale, zeroPoint], 1-element tensors. */
  calculateQparams(): [Tensor, Tensor] {
    return this._calculateQparams(this.min_val, this.max_val);
  }

  /** Forgets the minimum and maximum. */
  resetMinMaxVals(): void {
    noGrad(() => {
      this.min_val.fill_(Infinity);
      this.max_val.fill_(-Infinity);
    });
  }

  extraRepr(): string {
    return `min_val=${formatValue(this.min_val)}, max_val=${formatValue(this.max_val)}`;
  }
}

/** The per-tensor observers' qscheme check, before any other (Python raises it first). */
export function checkedPerTensor<A extends UniformArgs>(a: A, message: string): A {
  if (a.qscheme !== undefined && !isPerTensor(a.qscheme)) throw new NotImplementedError(message);
  return a;
}

export interface MovingAverageMinMaxObserverArgs extends UniformArgs {
  averagingConstant?: number;
}
const MOVING = signature<MovingAverageMinMaxObserverArgs>()([], ['averagingConstant', 'dtype', 'qscheme', 'reduceRange', 'quantMin', 'quantMax', 'eps'], ['factoryKwargs']);

export class MovingAverageMinMaxObserver extends MinMaxObserver {
  averagingConstant: number;

  /** MovingAverageMinMaxObserver(averagingConstant = 0.01, dtype, qscheme, reduceRange, quantMin, quantMax, eps, { factoryKwargs }). */
  constructor(...args: ArgsOf<typeof MOVING>) {
    const a = MOVING.bind('MovingAverageMinMaxObserver', args);
    const { averagingConstant, ...rest } = checkedPerTensor(a, "MovingAverageMinMaxObserver's qscheme only support                     torch.per_tensor_symmetric and torch.per_tensor_affine.");
    super(rest);
    this.averagingConstant = averagingConstant ?? 0.01;
  }

  /** Moves the minimum and maximum towards x's by averagingConstant (the first batch sets them); returns x. */
  forward(xOrig: Tensor): Tensor {
    if (xOrig.numel() === 0) return xOrig;
    noGrad(() => {
      const x = xOrig.detach().to(this.min_val.dtype);
      let [min, max] = [this.min_val, this.max_val];
      const [minCur, maxCur] = x.aminmax();
      if ((min.item() as number) === Infinity && (max.item() as number) === -Infinity) {
        [min, max] = [minCur, maxCur];
      } else {
        min = min.add(minCur.sub(min).mul(this.averagingConstant));
        max = max.add(maxCur.sub(max).mul(this.averagingConstant));
      }
      this.min_val.copy_(min);
      this.max_val.copy_(max);
    });
    return xOrig;
  }
}
