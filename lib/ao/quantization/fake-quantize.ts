// torch.ao.quantization.fake_quantize: modules that simulate quantization in float during
// quantization-aware training. FakeQuantize observes (updating scale and zero_point) and rounds
// its input to the quantized grid with libtorch's fake_quantize_per_{tensor,channel}_affine, whose
// gradient is the straight-through estimator, exactly as in Python.
import { AssertionError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { tensor } from '../../tensor/create';
import { DType, float32, int32, int64, qint32, qint8, quint4x2, quint8, uint8 } from '../../tensor/dtype';
import { Module } from '../../nn/module';
import { noGrad } from '../../autograd/grad-mode';
import { given, isOptions } from '../../keywords';
import { fakeQuantizePerChannelAffine, fakeQuantizePerTensorAffine, fusedMovingAvgObsFakeQuant } from '../../ops/generated/functions';
import { Factory, Kwargs, ModuleCtor, asFactory, isFactory, setPyModule, withArgs } from './partial';
import { QScheme, perChannelAffineFloatQparams } from './qscheme';
import { ObserverBase, isPerChannel, isPerTensor, isSymmetric } from './observers/base';
import { MovingAverageMinMaxObserver } from './observers/min-max';
import { MovingAveragePerChannelMinMaxObserver } from './observers/per-channel';
import { FixedQParamsObserver } from './observers/simple';

/** What FakeQuantize needs of its observer: an ObserverBase with a quantization range and scheme. */
type RangeObserver = ObserverBase & { quantMin: number; quantMax: number; qscheme: QScheme; chAxis?: number };

// torch.iinfo of the quantized dtypes (quint4x2 reports quint8's)
const IINFO = new Map<DType, [number, number]>([
  [quint8, [0, 255]],
  [qint8, [-128, 127]],
  [qint32, [-(2 ** 31), 2 ** 31 - 1]],
  [quint4x2, [0, 255]],
]);

const enabled = (flag: Tensor): boolean => (flag.item() as number) === 1;

/** FakeQuantizeBase: the fake_quant_enabled and observer_enabled switches. */
export abstract class FakeQuantizeBase extends Module {
  fake_quant_enabled!: Tensor;
  observer_enabled!: Tensor;

  constructor() {
    super();
    this.registerBuffer('fake_quant_enabled', tensor([1], { dtype: uint8 }));
    this.registerBuffer('observer_enabled', tensor([1], { dtype: uint8 }));
  }

  abstract forward(x: Tensor): Tensor;
  abstract calculateQparams(): [Tensor, Tensor];

  /** enableFakeQuant(enabled = true) */
  enableFakeQuant(on = true): void {
    noGrad(() => this.fake_quant_enabled.fill_(on ? 1 : 0));
  }
  disableFakeQuant(): void {
    this.enableFakeQuant(false);
  }
  /** enableObserver(enabled = true) */
  enableObserver(on = true): void {
    noGrad(() => this.observer_enabled.fill_(on ? 1 : 0));
  }
  disableObserver(): void {
    this.enableObserver(false);
  }

  /** Python's with_args(**kwargs): a factory of fake-quants built with these keywords. */
  static withArgs<T extends Module>(this: ModuleCtor<T>, kwargs: Kwargs): Factory<T> {
    return withArgs(this, kwargs);
  }
}

export interface FakeQuantizeArgs extends Kwargs {
  observer?: ModuleCtor | Factory;
  quantMin?: number | null;
  quantMax?: number | null;
}

/** Binds FakeQuantize(observer, quantMin, quantMax, **observerKwargs): the rest goes to the observer. */
function bindFakeQuantize(args: unknown[], defaults: FakeQuantizeArgs): [ModuleCtor | Factory, number | null, number | null, Kwargs] {
  const a = given(args);
  const options = a.length > 0 && isOptions(a[a.length - 1]) ? (a.pop() as Kwargs) : {};
  const { observer, quantMin, quantMax, ...observerKwargs } = { ...defaults, ...options };
  const positional: unknown[] = [observer, quantMin, quantMax];
  a.forEach((v, i) => (positional[i] = v));
  return [positional[0] as ModuleCtor | Factory, (positional[1] ?? null) as number | null, (positional[2] ?? null) as number | null, observerKwargs];
}

export class FakeQuantize extends FakeQuantizeBase {
  activation_post_process: RangeObserver;
  quantMin: number;
  quantMax: number;
  dtype: DType;
  qscheme: QScheme;
  chAxis: number;
  isPerChannel: boolean;
  scale!: Tensor;
  zero_point!: Tensor;

  /**
   * FakeQuantize(observer = MovingAverageMinMaxObserver, quantMin = null, quantMax = null, ...observerKwargs):
   * the observer (a class or a withArgs factory) is built with the remaining keywords.
   */
  constructor(...args: unknown[]) {
    super();
    const [observer, quantMin, quantMax, observerKwargs] = bindFakeQuantize(args, { observer: MovingAverageMinMaxObserver });
    if (quantMin !== null && quantMax !== null) {
      if (!(quantMin <= quantMax)) throw new AssertionError('quant_min must be less than or equal to quant_max');
      let dtype = (observerKwargs.dtype as DType | undefined) ?? quint8;
      if (isFactory(observer) && !observer.bare) dtype = (observer.keywords.dtype as DType | undefined) ?? dtype;
      const [lo, hi] = IINFO.get(dtype) ?? [-Infinity, Infinity];
      if (!(lo <= quantMin)) throw new AssertionError('quant_min out of bound');
      if (!(quantMax <= hi)) throw new AssertionError('quant_max out of bound');
      Object.assign(observerKwargs, { quantMin, quantMax });
    }
    this.activation_post_process = asFactory(observer)(observerKwargs) as RangeObserver;
    const obs = this.activation_post_process;
    this.quantMin = obs.quantMin;
    this.quantMax = obs.quantMax;
    const zeroPointDtype = obs.qscheme === perChannelAffineFloatQparams ? float32 : int32;
    this.registerBuffer('scale', tensor([1.0], { dtype: float32 }));
    this.registerBuffer('zero_point', tensor([0], { dtype: zeroPointDtype }));
    this.dtype = obs.dtype;
    this.qscheme = obs.qscheme;
    this.chAxis = obs.chAxis ?? -1;
    if (!(isPerChannel(this.qscheme) || isPerTensor(this.qscheme))) {
      throw new AssertionError(`Only per channel and per tensor quantization are supported in fake quantize got qscheme: ${String(this.qscheme)}`);
    }
    this.isPerChannel = isPerChannel(this.qscheme);
  }

  /** The observer's [scale, zeroPoint]. */
  calculateQparams(): [Tensor, Tensor] {
    return this.activation_post_process.calculateQparams();
  }

  /** Observes x (when the observer is enabled) and returns it fake-quantized (when enabled). */
  forward(x: Tensor): Tensor {
    if (enabled(this.observer_enabled)) {
      this.activation_post_process(x.detach());
      const [scale, zeroPoint] = this.calculateQparams();
      noGrad(() => {
        if (this.scale.shape.join() !== scale.shape.join()) {
          this.scale.resize_(scale.shape);
          this.zero_point.resize_(zeroPoint.shape);
        }
        this.scale.copy_(scale);
        this.zero_point.copy_(zeroPoint);
      });
    }
    if (enabled(this.fake_quant_enabled)) {
      const [qmin, qmax] = [this.activation_post_process.quantMin, this.activation_post_process.quantMax];
      x = this.isPerChannel
        ? fakeQuantizePerChannelAffine(x, this.scale, this.zero_point, this.chAxis, qmin, qmax)
        : fakeQuantizePerTensorAffine(x, this.scale, this.zero_point, qmin, qmax);
    }
    return x;
  }

  extraRepr(): string {
    const obs = this.activation_post_process;
    return (
      `fake_quant_enabled=${String(this.fake_quant_enabled)}, observer_enabled=${String(this.observer_enabled)}, ` +
      `quant_min=${obs.quantMin}, quant_max=${obs.quantMax}, dtype=${String(this.dtype)}, qscheme=${String(this.qscheme)}, ch_axis=${this.chAxis}, ` +
      `scale=${String(this.scale)}, zero_point=${String(this.zero_point)}`
    );
  }

  protected _loadFromStateDict(
    stateDict: Map<string, unknown>,
    prefix: string,
    missingKeys: string[],
    unexpectedKeys: string[],
    errorMsgs: string[],
    localMetadata: { version?: number } = {},
  ): void {
    // per-channel qparams take the saved number of channels
    for (const name of ['scale', 'zero_point'] as const) {
      const val = stateDict.get(prefix + name);
      if (val instanceof Tensor) this[name].resize_(val.shape);
    }
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs, localMetadata);
  }
}

export class FixedQParamsFakeQuantize extends FakeQuantize {
  /** FixedQParamsFakeQuantize(observer): fake quantization with a FixedQParamsObserver's constant qparams. */
  constructor(...args: [observer: ModuleCtor | Factory] | [options: { observer: ModuleCtor | Factory }]) {
    const observer = isOptions(args[0]) ? (args[0] as { observer: ModuleCtor | Factory }).observer : (args[0] as ModuleCtor | Factory);
    super({ observer });
    if (this.activation_post_process.constructor !== FixedQParamsObserver) {
      throw new AssertionError("FixedQParamsFakeQuantize's observer must be a FixedQParamsObserver");
    }
    // the module's qparams are the observer's own tensors
    const fixed = this.activation_post_process as unknown as FixedQParamsObserver;
    this.scale = fixed.scale;
    this.zero_point = fixed.zero_point;
    if (!isPerTensor(this.qscheme)) throw new AssertionError(`Only per tensor quantization is supported FixedQParamsFakeQuantize module, got qscheme:${String(this.qscheme)}`);
  }

  calculateQparams(): [Tensor, Tensor] {
    return [this.scale, this.zero_point];
  }

  extraRepr(): string {
    const obs = this.activation_post_process;
    return (
      `fake_quant_enabled=${String(this.fake_quant_enabled)}, observer_enabled=${String(this.observer_enabled)}, scale=${String(this.scale)}, ` +
      `zero_point=${String(this.zero_point)}, dtype=${String(this.dtype)}, quant_min=${obs.quantMin}, quant_max=${obs.quantMax}, qscheme=${String(this.qscheme)}`
    );
  }
}

export class FusedMovingAvgObsFakeQuantize extends FakeQuantize {
  isSymmetricQuant: boolean;

  /**
   * FusedMovingAvgObsFakeQuantize(observer = MovingAverageMinMaxObserver, quantMin = 0, quantMax = 255, ...observerKwargs):
   * observation and fake quantization in one libtorch op (torch.fused_moving_avg_obs_fake_quant).
   */
  constructor(...args: unknown[]) {
    const [observer, quantMin, quantMax, observerKwargs] = bindFakeQuantize(args, { observer: MovingAverageMinMaxObserver, quantMin: 0, quantMax: 255 });
    super({ observer, quantMin, quantMax, ...observerKwargs });
    const obs = this.activation_post_process;
    if (!(obs instanceof MovingAverageMinMaxObserver || obs instanceof MovingAveragePerChannelMinMaxObserver)) {
      throw new AssertionError('Fused observer+fake_quant module only works with MovingAverageMinMaxObserver');
    }
    this.registerBuffer('fake_quant_enabled', tensor([1], { dtype: int64 }));
    this.registerBuffer('observer_enabled', tensor([1], { dtype: int64 }));
    this.isSymmetricQuant = isSymmetric(obs.qscheme);
  }

  calculateQparams(): [Tensor, Tensor] {
    return this.activation_post_process.calculateQparams();
  }

  forward(x: Tensor): Tensor {
    const obs = this.activation_post_process as MovingAverageMinMaxObserver | MovingAveragePerChannelMinMaxObserver;
    return fusedMovingAvgObsFakeQuant(
      x, this.observer_enabled, this.fake_quant_enabled, obs.min_val, obs.max_val, this.scale, this.zero_point,
      obs.averagingConstant, obs.quantMin, obs.quantMax, this.chAxis, this.isPerChannel, this.isSymmetricQuant,
    );
  }

  extraRepr(): string {
    const obs = this.activation_post_process as MovingAverageMinMaxObserver;
    return (
      `fake_quant_enabled=${String(this.fake_quant_enabled)}, observer_enabled=${String(this.observer_enabled)}, scale=${String(this.scale)}, ` +
      `zero_point=${String(this.zero_point)}, dtype=${String(this.dtype)}, quant_min=${obs.quantMin}, quant_max=${obs.quantMax}, ` +
      `qscheme=${String(this.qscheme)}, reduce_range=${obs.reduceRange ? 'True' : 'False'}`
    );
  }
}

for (const cls of [FakeQuantizeBase, FakeQuantize, FixedQParamsFakeQuantize, FusedMovingAvgObsFakeQuantize]) setPyModule(cls, 'torch.ao.quantization.fake_quantize');

/** disable_fake_quant(mod): for model.apply(); a no-op on anything but a fake-quant. */
export function disableFakeQuant(mod: Module): void {
  if (mod instanceof FakeQuantizeBase) mod.disableFakeQuant();
}
/** enable_fake_quant(mod): for model.apply(). */
export function enableFakeQuant(mod: Module): void {
  if (mod instanceof FakeQuantizeBase) mod.enableFakeQuant();
}
/** disable_observer(mod): for model.apply(). */
export function disableObserver(mod: Module): void {
  if (mod instanceof FakeQuantizeBase) mod.disableObserver();
}
/** enable_observer(mod): for model.apply(). */
export function enableObserver(mod: Module): void {
  if (mod instanceof FakeQuantizeBase) mod.enableObserver();
}
