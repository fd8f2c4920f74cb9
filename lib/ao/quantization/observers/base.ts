// torch.ao.quantization.ObserverBase and UniformQuantizationObserverBase (observer.py): the common
// constructor checks, the integer range of a dtype, and the min/max -> (scale, zero_point) arithmetic
// done with the same float32 tensor ops as Python, so the qparams are bit-equal.
import { AssertionError, NotImplementedError, warn } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { onesLike, tensor, zeros, zerosLike } from '../../../tensor/create';
import { DType, DTypeLike, float32, int64, qint32, qint8, quint4x2, quint8, toDType } from '../../../tensor/dtype';
import { finfo } from '../../../tensor/type-info';
import { Module } from '../../../nn/module';
import { pyFloat } from '../../../py-format';
import { noGrad } from '../../../autograd/grad-mode';
import { QScheme, perChannelAffine, perChannelAffineFloatQparams, perChannelSymmetric, perTensorAffine, perTensorSymmetric } from '../qscheme';
import { Factory, Kwargs, ModuleCtor, setPyModule, withArgs, withCallableArgs } from '../partial';

export const FLOAT32_EPS = finfo(float32).eps;

export const isPerTensor = (q: QScheme): boolean => q === perTensorAffine || q === perTensorSymmetric;
export const isPerChannel = (q: QScheme): boolean => q === perChannelAffine || q === perChannelSymmetric || q === perChannelAffineFloatQparams;
export const isSymmetric = (q: QScheme): boolean => q === perTensorSymmetric || q === perChannelSymmetric;

/** The factory_kwargs observers take (torch.nn.factory_kwargs): where their buffers live. */
export interface FactoryKwargs {
  device?: string;
  dtype?: DTypeLike;
}

/** utils.calculate_qmin_qmax: the integer range a dtype (and reduce_range) allows. */
export function calculateQminQmax(quantMin: number | null, quantMax: number | null, customized: boolean, dtype: DType, reduceRange: boolean): [number, number] {
  if (customized && quantMin !== null && quantMax !== null) {
    const len = quantMax - quantMin + 1;
    if (dtype === qint8 && !(len > 0 && len <= 256)) throw new AssertionError('quantization range should be positive and not exceed the maximum bit range (=256).');
    if (dtype === qint32 && !(len > 0 && len <= 2 ** 31)) throw new AssertionError('quantization range should be positive and not exceed the maximum bit range (=4294967296).');
    return reduceRange ? [Math.floor(quantMin / 2), Math.floor(quantMax / 2)] : [quantMin, quantMax];
  }
  if (dtype === qint8) return reduceRange ? [-64, 63] : [-128, 127];
  if (dtype === quint8) return reduceRange ? [0, 127] : [0, 255];
  if (dtype === qint32) return [-(2 ** 31), 2 ** 31 - 1];
  return [0, 15];
}

/** ObserverBase: records statistics in forward (returning its input) and turns them into qparams. */
export abstract class ObserverBase extends Module {
  dtype: DType;

  constructor(dtype: DTypeLike) {
    super();
    this.dtype = toDType(dtype);
  }

  abstract forward(x: Tensor): Tensor;
  abstract calculateQparams(): [Tensor, Tensor];

  /** Python's with_args(**kwargs): a factory of observers built with these keywords. */
  static withArgs<T extends Module>(this: ModuleCtor<T>, kwargs: Kwargs): Factory<T> {
    return withArgs(this, kwargs);
  }

  /** Python's with_callable_args(**kwargs): keywords computed by calling a function at each construction. */
  static withCallableArgs<T extends Module>(this: ModuleCtor<T>, kwargs: Record<string, () => unknown>): Factory<T> {
    return withCallableArgs(this, kwargs);
  }
}
setPyModule(ObserverBase, 'torch.ao.quantization.observer');

/** The arguments every uniform observer takes, already bound by the subclass's signature. */
export interface UniformArgs {
  dtype?: DTypeLike;
  qscheme?: QScheme;
  reduceRange?: boolean;
  quantMin?: number | null;
  quantMax?: number | null;
  factoryKwargs?: FactoryKwargs | null;
  eps?: number;
}

/** UniformQuantizationObserverBase: the qscheme/dtype/range checks and _calculate_qparams. */
export abstract class UniformQuantizationObserverBase extends ObserverBase {
  qscheme: QScheme;
  reduceRange: boolean;
  hasCustomizedQrange: boolean;
  quantMin: number;
  quantMax: number;
  eps!: Tensor;

  constructor(a: UniformArgs) {
    super(a.dtype ?? quint8);
    const qscheme = a.qscheme ?? perTensorAffine;
    this.qscheme = qscheme;
    this.reduceRange = a.reduceRange ?? false;
    if (this.reduceRange) warn('Please use quant_min and quant_max to specify the range for observers.                     reduce_range will be deprecated in a future release of PyTorch.');
    this.registerBuffer('eps', tensor([a.eps ?? FLOAT32_EPS], { dtype: float32, ...factoryOptions(a.factoryKwargs) }));
    if (![perTensorAffine, perTensorSymmetric, perChannelAffine, perChannelSymmetric, perChannelAffineFloatQparams].includes(qscheme)) {
      throw new AssertionError('Default Observer only works for per_tensor_affine,                 per_tensor_symmetric, per_channel_affine,                 per_channel_symmetric and per_channel_float_qparams quantization scheme');
    }
    if (![qint8, quint8, quint4x2, qint32].includes(this.dtype)) throw new AssertionError('Default Observer only works for qint8, quint8 and quint4x2 data type');
    const quantMin = a.quantMin ?? null;
    const quantMax = a.quantMax ?? null;
    this.hasCustomizedQrange = quantMin !== null && quantMax !== null;
    if (this.hasCustomizedQrange) {
      if (!(quantMin! <= 0 && 0 <= quantMax!)) throw new AssertionError('Used-specified quantization range must include 0.');
      if (!(quantMin! < quantMax!)) throw new AssertionError('qmin must be strictly less than qmax for user-specified quantization range.');
    }
    [this.quantMin, this.quantMax] = calculateQminQmax(quantMin, quantMax, this.hasCustomizedQrange, this.dtype, this.reduceRange);
  }

  /** [scale, zeroPoint] for these minima and maxima (per tensor: 1-element tensors; per channel: one each). */
  _calculateQparams(minVal: Tensor, maxVal: Tensor): [Tensor, Tensor] {
    const device = minVal.device.type;
    if (!checkMinMaxValid(minVal, maxVal)) return [tensor([1.0], { dtype: float32, device }), tensor([0], { device })];
    const [quantMin, quantMax] = [this.quantMin, this.quantMax];
    const eps = this.eps;
    return noGrad(() => {
      const minValNeg = minVal.minimum(zerosLike(minVal));
      let maxValPos = maxVal.maximum(zerosLike(maxVal));
      let scale: Tensor;
      let zeroPoint = zeros(minValNeg.shape, { dtype: int64, device });
      if (isSymmetric(this.qscheme)) {
        maxValPos = minValNeg.neg().maximum(maxValPos);
        scale = maxValPos.div((quantMax - quantMin) / 2).maximum(eps);
        if (this.dtype === quint8) zeroPoint = zeroPoint.newFull(zeroPoint.shape, this.hasCustomizedQrange ? Math.floor((quantMin + quantMax) / 2) : 128);
      } else if (this.qscheme === perChannelAffineFloatQparams) {
        scale = maxVal.sub(minVal).div(quantMax - quantMin);
        scale = scale.where(scale.gt(eps), onesLike(scale));
        // -1 * min_val / scale: a float zero point
        zeroPoint = minVal.mul(-1).div(scale);
      } else {
        scale = maxValPos.sub(minValNeg).div(quantMax - quantMin).maximum(eps);
        zeroPoint = minValNeg.div(scale).round().to('int32').neg().add(quantMin).clamp(quantMin, quantMax);
      }
      if (scale.dim() === 0) scale = tensor([scale.item() as number], { dtype: scale.dtype, device });
      if (zeroPoint.dim() === 0) {
        zeroPoint = tensor([zeroPoint.item() as number], { dtype: zeroPoint.dtype, device });
      }
      return [scale, zeroPoint] as [Tensor, Tensor];
    });
  }

  /** Forgets what was observed. */
  resetMinMaxVals(): void {
    throw new NotImplementedError('Cannot reset min/max values in the given observer.');
  }

  protected _loadFromStateDict(
    stateDict: Map<string, unknown>,
    prefix: string,
    missingKeys: string[],
    unexpectedKeys: string[],
    errorMsgs: string[],
    localMetadata: { version?: number } = {},
  ): void {
    // eps became a buffer in version 2: older files lack it
    if (localMetadata.version === undefined || localMetadata.version === 1) stateDict.set(`${prefix}eps`, tensor([FLOAT32_EPS]));
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs, localMetadata);
  }
}
UniformQuantizationObserverBase.prototype._version = 3;

/** torch.nn.factory_kwargs: the tensor options of an observer's buffers. */
export function factoryOptions(f: FactoryKwargs | null | undefined): { device?: string; dtype?: DTypeLike } {
  const out: { device?: string; dtype?: DTypeLike } = {};
  if (f?.device !== undefined) out.device = f.device;
  if (f?.dtype !== undefined) out.dtype = f.dtype;
  return out;
}

/** utils.check_min_max_valid: false (with Python's warning) before anything was observed. */
export function checkMinMaxValid(minVal: Tensor, maxVal: Tensor): boolean {
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
    if (!(lo <= hi)) throw new AssertionError(`min ${String(minVal)} should be less than max ${String(maxVal)}`);
  } else if (!(minVal.le(maxVal).all().item() as unknown as boolean)) {
    throw new AssertionError(`min ${String(minVal)} should be less than max ${String(maxVal)}`);
  }
  return true;
}

/** Python's '{}'.format(tensor) in extra_repr: a 0-dim tensor formats as its item. */
export function formatValue(t: Tensor): string {
  return t.dim() === 0 ? pyFloat(t.item() as number) : String(t);
}
