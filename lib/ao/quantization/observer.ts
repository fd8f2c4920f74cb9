// torch.ao.quantization.MinMaxObserver (observer.py): records the running min and max of what
// passes through, and turns them into a per-tensor scale and zero point (calculateQparams), with
// the same float32 tensor arithmetic as Python, so the qparams are bit-equal.
import { TorchError, NotImplementedError, warn } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { tensor, zerosLike } from '../../tensor/create';
import { DType, DTypeLike, float32, int64, qint32, qint8, quint4x2, quint8, toDType } from '../../tensor/dtype';
import { finfo } from '../../tensor/type-info';
import { Module } from '../../nn/module';
import { noGrad } from '../../autograd/grad-mode';
import { pyFloat } from '../../py-format';
import { ArgsOf, signature } from '../../keywords';
import { QScheme, perChannelAffine, perChannelAffineFloatQparams, perChannelSymmetric, perTensorAffine, perTensorSymmetric } from './qscheme';

export interface MinMaxObserverArgs {
  dtype?: DTypeLike;
  qscheme?: QScheme;
  reduceRange?: boolean;
  quantMin?: number | null;
  quantMax?: number | null;
  factoryKwargs?: { device?: string; dtype?: DTypeLike } | null;
  eps?: number;
}
const MIN_MAX = signature<MinMaxObserverArgs>()([], ['dtype', 'qscheme', 'reduceRange', 'quantMin', 'quantMax', 'factoryKwargs', 'eps']);

/** utils.calculate_qmin_qmax: the integer range a dtype (and reduce_range) allows. */
export function calculateQminQmax(quantMin: number | null, quantMax: number | null, customized: boolean, dtype: DType, reduceRange: boolean): [number, number] {
  if (customized && quantMin !== null && quantMax !== null) {
    const len = quantMax - quantMin + 1;
    if (dtype === qint8 && !(len > 0 && len <= 256)) throw new TorchError('quantization range should be positive and not exceed the maximum bit range (=256).');
    if (dtype === qint32 && !(len > 0 && len <= 2 ** 31)) throw new TorchError('quantization range should be positive and not exceed the maximum bit range (=4294967296).');
    return reduceRange ? [Math.floor(quantMin / 2), Math.floor(quantMax / 2)] : [quantMin, quantMax];
  }
  if (dtype === qint8) return reduceRange ? [-64, 63] : [-128, 127];
  if (dtype === quint8) return reduceRange ? [0, 127] : [0, 255];
  if (dtype === qint32) return [-(2 ** 31), 2 ** 31 - 1];
  return [0, 15];
}

const FLOAT32_EPS = finfo(float32).eps;

export class MinMaxObserver extends Module {
  readonly dtype: DType;
  readonly qscheme: QScheme;
  readonly reduceRange: boolean;
  readonly hasCustomizedQrange: boolean;
  readonly quantMin: number;
  readonly quantMax: number;
  eps!: Tensor;
  min_val!: Tensor;
  max_val!: Tensor;

  /** MinMaxObserver(dtype = quint8, qscheme = per_tensor_affine, reduceRange = false, quantMin, quantMax, factoryKwargs, eps), any by name. */
  constructor(...args: ArgsOf<typeof MIN_MAX>) {
    super();
    const a = MIN_MAX.bind('MinMaxObserver', args);
    const qscheme = a.qscheme ?? perTensorAffine;
    if (qscheme !== perTensorAffine && qscheme !== perTensorSymmetric) {
      throw new NotImplementedError("MinMaxObserver's qscheme only support torch.per_tensor_symmetric                     and torch.per_tensor_affine.");
    }
    this.dtype = toDType(a.dtype ?? quint8);
    this.qscheme = qscheme;
    this.reduceRange = a.reduceRange ?? false;
    if (this.reduceRange) warn('Please use quant_min and quant_max to specify the range for observers.                     reduce_range will be deprecated in a future release of PyTorch.');
    const factory = { device: a.factoryKwargs?.device, dtype: a.factoryKwargs?.dtype };
    this.registerBuffer('eps', tensor([a.eps ?? FLOAT32_EPS], factory));
    if (![perTensorAffine, perTensorSymmetric, perChannelAffine, perChannelSymmetric, perChannelAffineFloatQparams].includes(qscheme)) throw new TorchError('Default Observer only works for per_tensor_affine, per_tensor_symmetric, per_channel_affine, per_channel_symmetric and per_channel_float_qparams quantization scheme');
    if (![qint8, quint8, quint4x2, qint32].includes(this.dtype)) throw new TorchError('Default Observer only works for qint8, quint8 and quint4x2 data type');
    const quantMin = a.quantMin ?? null;
    const quantMax = a.quantMax ?? null;
    this.hasCustomizedQrange = quantMin !== null && quantMax !== null;
    if (this.hasCustomizedQrange) {
      if (!(quantMin! <= 0 && 0 <= quantMax!)) throw new TorchError('Used-specified quantization range must include 0.');
      if (!(quantMin! < quantMax!)) throw new TorchError('qmin must be strictly less than qmax for user-specified quantization range.');
    }
    [this.quantMin, this.quantMax] = calculateQminQmax(quantMin, quantMax, this.hasCustomizedQrange, this.dtype, this.reduceRange);
    this.registerBuffer('min_val', tensor(Infinity, factory));
    this.registerBuffer('max_val', tensor(-Infinity, factory));
    if (qscheme === perTensorSymmetric && this.reduceRange && this.dtype === quint8) {
      throw new NotImplementedError('Cannot reduce range for symmetric                                        quantization for quint8');
    }
  }

  /** Python's MinMaxObserver.with_args(...): a factory of observers with these arguments. */
  static withArgs(options: MinMaxObserverArgs): () => MinMaxObserver {
    return () => new MinMaxObserver(options);
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
    const [min, max] = [this.min_val, this.max_val];
    return this._calculateQparams(min, max);
  }

  _calculateQparams(minVal: Tensor, maxVal: Tensor): [Tensor, Tensor] {
    if (!checkMinMaxValid(minVal, maxVal)) {
      return [tensor([1.0], { dtype: float32, device: minVal.device.type }), tensor([0], { dtype: int64, device: minVal.device.type })];
    }
    const eps = this.eps;
    const [quantMin, quantMax] = [this.quantMin, this.quantMax];
    return noGrad(() => {
      const minValNeg = minVal.minimum(zerosLike(minVal));
      let maxValPos = maxVal.maximum(zerosLike(maxVal));
      let scale: Tensor;
      let zeroPoint = minValNeg.newZeros(minValNeg.shape, { dtype: int64 });
      if (this.qscheme === perTensorSymmetric || this.qscheme === perChannelSymmetric) {
        maxValPos = minValNeg.neg().maximum(maxValPos);
        scale = maxValPos.div((quantMax - quantMin) / 2).maximum(eps);
        if (this.dtype === quint8) zeroPoint = zeroPoint.newFull(zeroPoint.shape, this.hasCustomizedQrange ? Math.floor((quantMin + quantMax) / 2) : 128);
      } else {
        scale = maxValPos.sub(minValNeg).div(quantMax - quantMin).maximum(eps);
        zeroPoint = minValNeg.div(scale).round().to('int32').neg().add(quantMin).clamp(quantMin, quantMax);
      }
      if (scale.dim() === 0) scale = tensor([scale.item() as number], { dtype: scale.dtype, device: minValNeg.device.type });
      if (zeroPoint.dim() === 0) zeroPoint = tensor([zeroPoint.item() as number], { dtype: zeroPoint.dtype, device: minValNeg.device.type });
      return [scale, zeroPoint] as [Tensor, Tensor];
    });
  }

  /** Resets the min/max values. */
  resetMinMaxVals(): void {
    const [min, max] = [this.min_val, this.max_val];
    noGrad(() => {
      min.fill_(Infinity);
      max.fill_(-Infinity);
    });
  }

  extraRepr(): string {
    // Python's '{}'.format(tensor): a 0-dim tensor formats as its item
    const show = (t: Tensor) => (t.dim() === 0 ? pyFloat(t.item() as number) : String(t));
    return `min_val=${show(this.min_val)}, max_val=${show(this.max_val)}`;
  }
}
MinMaxObserver.prototype._version = 3;

/** utils.check_min_max_valid: false (with Python's warning) before anything was observed. */
function checkMinMaxValid(minVal: Tensor, maxVal: Tensor): boolean {
  const unobserved = 'must run observer before calling calculate_qparams. Returning default values.';
  if (minVal.numel() === 0 || maxVal.numel() === 0) {
    warn(unobserved);
    return false;
  }
  if (minVal.dim() === 0 || maxVal.dim() === 0) {
    const [lo, hi] = [minVal.item() as number, maxVal.item() as number];
    if (lo === Infinity && hi === -Infinity) {
      warn(unobserved);
      return false;
    }
    if (!(lo <= hi)) throw new TorchError(`min ${String(minVal)} should be less than max ${String(maxVal)}`);
  } else if (!(minVal.le(maxVal).all().item() as unknown as boolean)) {
    throw new TorchError(`min ${String(minVal)} should be less than max ${String(maxVal)}`);
  }
  return true;
}
