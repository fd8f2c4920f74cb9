// torch.ao.quantization.QConfig (qconfig.py): how to observe a module's activations and weights —
// a pair of factories (observer or fake-quant), each building a fresh module per call, so
// qconfig.weight() gives every layer its own observer. The default qconfigs of each backend.
import { AssertionError, PyTypeError, ValueError } from '../../errors';
import { float16, float32, qint8 } from '../../tensor/dtype';
import { Module } from '../../nn/module';
import { Identity } from '../../nn/layers/linear';
import { ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from '../../nn/layers/conv';
import { Factory, ModuleCtor, asFactory, isFactory, setPyModule } from './partial';
import { HistogramObserver } from './observers/histogram';
import { MovingAverageMinMaxObserver } from './observers/min-max';
import { MovingAveragePerChannelMinMaxObserver, PerChannelMinMaxObserver } from './observers/per-channel';
import { NoopObserver, PlaceholderObserver, ReuseInputObserver } from './observers/simple';
import * as obs from './observers/defaults';
import * as fq from './fake-quantize-defaults';
import { FakeQuantize, FakeQuantizeBase, FusedMovingAvgObsFakeQuantize } from './fake-quantize';

setPyModule(Identity, 'torch.nn.modules.linear');

type Ctor = ModuleCtor | Factory;

/** QConfig(activation, weight): Python's namedtuple of two observer/fake-quant factories (or classes). */
export class QConfig {
  readonly activation: Factory;
  readonly weight: Factory;

  /** QConfig(activation, weight), or QConfig({ activation, weight }); classes are taken as factories. */
  constructor(...args: [activation: Ctor, weight: Ctor] | [options: { activation: Ctor; weight: Ctor }]) {
    const [activation, weight] = args.length === 1 ? [args[0].activation, args[0].weight] : args;
    if (activation instanceof Module || weight instanceof Module) {
      throw new ValueError(
        'QConfig received observer instance, please pass observer class instead. Use MyObserver.with_args(x=1) to override arguments to constructor if needed',
      );
    }
    this.activation = asFactory(activation as Ctor);
    this.weight = asFactory(weight as Ctor);
    Object.freeze(this);
  }

  *[Symbol.iterator](): Generator<Factory> {
    yield this.activation;
    yield this.weight;
  }

  toString(): string {
    return `QConfig(activation=${String(this.activation)}, weight=${String(this.weight)})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

export const defaultQconfig = new QConfig(obs.defaultObserver, obs.defaultWeightObserver);
export const defaultDebugQconfig = new QConfig(obs.defaultDebugObserver, obs.defaultWeightObserver);
export const defaultPerChannelQconfig = new QConfig(obs.defaultObserver, obs.defaultPerChannelWeightObserver);
export const defaultDynamicQconfig = new QConfig(obs.defaultDynamicQuantObserver, obs.defaultWeightObserver);
export const float16DynamicQconfig = new QConfig(PlaceholderObserver.withArgs({ dtype: float16, computeDtype: float16 }), PlaceholderObserver.withArgs({ dtype: float16 }));
export const float16StaticQconfig = new QConfig(PlaceholderObserver.withArgs({ dtype: float16 }), PlaceholderObserver.withArgs({ dtype: float16 }));
export const perChannelDynamicQconfig = new QConfig(obs.defaultDynamicQuantObserver, obs.defaultPerChannelWeightObserver);
export const floatQparamsWeightOnlyQconfig = new QConfig(obs.defaultPlaceholderObserver, obs.defaultFloatQparamsObserver);
export const floatQparamsWeightOnlyQconfig4bit = new QConfig(obs.defaultPlaceholderObserver, obs.defaultFloatQparamsObserver4bit);
export const defaultQatQconfig = new QConfig(fq.defaultFakeQuant, fq.defaultWeightFakeQuant);
export const defaultDynamicQatQconfig = new QConfig(fq.defaultDynamicFakeQuant, fq.defaultWeightFakeQuant);
export const defaultWeightOnlyQconfig = new QConfig(Identity, fq.defaultWeightFakeQuant);
export const defaultActivationOnlyQconfig = new QConfig(fq.defaultFakeQuant, Identity);
export const defaultQatQconfigV2 = new QConfig(fq.defaultFusedActFakeQuant, fq.defaultFusedWtFakeQuant);
export const defaultReuseInputQconfig = new QConfig(obs.defaultReuseInputObserver, NoopObserver);
export const defaultSymmetricQnnpackQconfig = new QConfig(HistogramObserver.withArgs({ dtype: qint8, reduceRange: false, eps: 2 ** -12 }), obs.weightObserverRangeNeg127To127);
export const defaultPerChannelSymmetricQnnpackQconfig = new QConfig(
  HistogramObserver.withArgs({ dtype: qint8, reduceRange: false, eps: 2 ** -12 }),
  obs.perChannelWeightObserverRangeNeg127To127,
);
export const defaultEmbeddingQatQconfig = new QConfig(NoopObserver.withArgs({ dtype: float32 }), fq.defaultEmbeddingFakeQuant);
export const defaultEmbeddingQatQconfig4bit = new QConfig(NoopObserver.withArgs({ dtype: float32 }), fq.defaultEmbeddingFakeQuant4bit);
const fusedSymmetricAct = () => FusedMovingAvgObsFakeQuantize.withArgs({ observer: MovingAverageMinMaxObserver, quantMin: -128, quantMax: 127, dtype: qint8, reduceRange: false, eps: 2 ** -12 });
export const defaultSymmetricQnnpackQatQconfig = new QConfig(fusedSymmetricAct(), fq.fusedWtFakeQuantRangeNeg127To127);
export const defaultPerChannelSymmetricQnnpackQatQconfig = new QConfig(fusedSymmetricAct(), fq.fusedPerChannelWtFakeQuantRangeNeg127To127);

/** get_default_qconfig(backend = 'fbgemm', version = 0): the post-training qconfig of a backend. */
export function getDefaultQconfig(backend = 'fbgemm', version = 0): QConfig {
  if (version !== 0) throw new AssertionError(`Version number: ${version} in get_default_qconfig is not supported. Version number must be 0`);
  const histogram = (reduceRange: boolean) => HistogramObserver.withArgs({ reduceRange });
  if (backend === 'fbgemm' || backend === 'x86') return new QConfig(histogram(true), obs.defaultPerChannelWeightObserver);
  if (backend === 'qnnpack') return new QConfig(histogram(false), obs.defaultWeightObserver);
  if (backend === 'onednn') return new QConfig(histogram(false), obs.defaultPerChannelWeightObserver);
  return defaultQconfig;
}

/** get_default_qat_qconfig(backend = 'fbgemm', version = 1): the quantization-aware-training qconfig of a backend. */
export function getDefaultQatQconfig(backend = 'fbgemm', version = 1): QConfig {
  const act = (cls: typeof FakeQuantize, reduceRange?: boolean) =>
    cls.withArgs({ observer: MovingAverageMinMaxObserver, quantMin: 0, quantMax: 255, ...(reduceRange === undefined ? {} : { reduceRange }) });
  if (version === 0) {
    if (backend === 'fbgemm' || backend === 'x86') return new QConfig(act(FakeQuantize, true), fq.defaultPerChannelWeightFakeQuant);
    if (backend === 'qnnpack') return new QConfig(act(FakeQuantize, false), fq.defaultWeightFakeQuant);
    if (backend === 'onednn') return new QConfig(act(FakeQuantize), fq.defaultPerChannelWeightFakeQuant);
    return defaultQatQconfig;
  }
  if (version === 1) {
    const fused = FusedMovingAvgObsFakeQuantize as unknown as typeof FakeQuantize;
    if (backend === 'fbgemm' || backend === 'x86') return new QConfig(act(fused, true), fq.defaultFusedPerChannelWtFakeQuant);
    if (backend === 'qnnpack') return new QConfig(act(fused, false), fq.defaultFusedWtFakeQuant);
    if (backend === 'onednn') return new QConfig(act(fused), fq.defaultFusedPerChannelWtFakeQuant);
    return defaultQatQconfigV2;
  }
  throw new AssertionError(`Version number: ${version}in get_default_qat_qconfig is not supported. Version number must be 0 or 1`);
}

/** assert_valid_qconfig: ConvTranspose layers cannot take per-channel weight observers yet. */
export function assertValidQconfig(qconfig: QConfig | null | undefined, mod: Module): void {
  if (!qconfig) return;
  if (!(mod instanceof ConvTranspose1d || mod instanceof ConvTranspose2d || mod instanceof ConvTranspose3d)) return;
  const example = qconfig.weight();
  if (example instanceof PerChannelMinMaxObserver || example instanceof MovingAveragePerChannelMinMaxObserver) {
    throw new AssertionError('Per channel weight observer is not supported yet for ConvTranspose{n}d.');
  }
}

/** The device of a module's parameters and buffers (the first one), as factory_kwargs. */
function moduleDeviceKwargs(module: Module): () => { device: string } | null {
  const fn = () => {
    const tensors = [...module.parameters(), ...module.buffers()];
    return tensors.length ? { device: String(tensors[0].device) } : null;
  };
  // named as Python's closure, for the qconfig's repr
  return Object.defineProperty(fn, 'name', { value: 'add_module_to_qconfig_obs_ctr.<locals>.get_factory_kwargs_based_on_module_device' });
}

/** add_module_to_qconfig_obs_ctr: factories that build their observers on the module's device. */
export function addModuleToQconfigObsCtr(qconfig: QConfig | null | undefined, module: Module | null): QConfig | null | undefined {
  if (module === null || !qconfig) return qconfig;
  const onDevice = (ctor: Factory): Factory => {
    try {
      ctor.withArgs({ factoryKwargs: null })();
    } catch (e) {
      // a class that takes no factory_kwargs (Python's TypeError) keeps its factory
      if (e instanceof PyTypeError) return ctor;
      throw e;
    }
    return ctor.withCallableArgs({ factoryKwargs: moduleDeviceKwargs(module) });
  };
  return new QConfig(onDevice(qconfig.activation), onDevice(qconfig.weight));
}

function factoryEquals(a: Factory, b: Factory): boolean {
  if (a === b) return true;
  if (!isFactory(a) || !isFactory(b) || a.bare !== b.bare || a.func !== b.func && !(isFactory(a.func) && isFactory(b.func) && factoryEquals(a.func, b.func))) return false;
  const ka = Object.keys(a.keywords);
  const kb = Object.keys(b.keywords);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => {
    const [x, y] = [a.keywords[k], b.keywords[k]];
    return x === y || (isFactory(x) && isFactory(y) && factoryEquals(x, y));
  });
}

/** qconfig_equals(q1, q2): the same factories with the same keywords. */
export function qconfigEquals(q1: QConfig | null | undefined, q2: QConfig | null | undefined): boolean {
  if (!q1 || !q2) return q1 === q2;
  return factoryEquals(q1.activation, q2.activation) && factoryEquals(q1.weight, q2.weight);
}

/** activation_is_memoryless(qconfig): whether the activation observer keeps no history (averaging_constant 1). */
export function activationIsMemoryless(qconfig: QConfig): boolean {
  const memoryless = (o: Module) => (o as unknown as { averagingConstant?: number }).averagingConstant === 1;
  const act = qconfig.activation();
  if (act instanceof FakeQuantizeBase && 'activation_post_process' in act) return memoryless((act as FakeQuantize).activation_post_process);
  return memoryless(act);
}

/** is_reuse_input_qconfig(qconfig) */
export function isReuseInputQconfig(qconfig: QConfig | null | undefined): boolean {
  return !!qconfig && qconfig.activation() instanceof ReuseInputObserver && qconfig.weight() instanceof NoopObserver;
}
