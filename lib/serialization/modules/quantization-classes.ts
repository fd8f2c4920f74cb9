// Eager-mode quantization mid-workflow in whole-module pickles (a model checkpointed between prepare
// or prepare_qat and convert): the observers, fake-quants, stubs, QAT, fused and intrinsic QAT module
// classes by Python path; the observer hooks prepare registers (pickled by Python as the module-level
// functions _observer_forward_hook / _observer_forward_pre_hook); and each module's qconfig, a
// QConfig namedtuple of _PartialWrapper(functools.partial(cls, **keywords)) factories.
// Python 1.13 cannot pickle the per-module device closure that prepare adds to each factory
// (add_module_to_qconfig_obs_ctr's get_factory_kwargs_based_on_module_device, a local function):
// saving here leaves it out, as a Python user must to pickle such a model at all; observers then
// live on the default device, which is the module's on CPU.
import { TorchError } from '../../errors';
import '../../nn/python-class-path';
import { Pickler } from '../pickler';
import * as observers from '../../ao/quantization/observer';
import * as fakeQuantize from '../../ao/quantization/fake-quantize';
import * as stubs from '../../ao/quantization/stubs';
import { QConfig } from '../../ao/quantization/qconfig';
import { Factory, Kwargs, ModuleCtor, isFactory, withArgs } from '../../ao/quantization/partial';
import { observerForwardHook, observerForwardPreHook } from '../../ao/quantization/quantize';
import * as qat from '../../nn/qat';
import * as intrinsic from '../../nn/intrinsic/modules';
import * as intrinsicQat from '../../nn/intrinsic/qat';
import * as quantized from '../../nn/quantized';
import { registerObjectClass, registerPythonClass, registerPythonHook, registerPythonModules, registerValueSaver, registeredFunctionPath, registeredPath } from './registry';
import { ResolvedPartial } from './load-module';
import { jsAttributeName, pythonAttributeName } from './fixups';
import { GlobalRef, PyValue } from './save-module';

const AQ = 'torch.ao.quantization';
registerPythonModules(AQ, { observer: observers, fake_quantize: fakeQuantize, stubs });
registerPythonModules('torch.ao.nn.qat.modules', { linear: qat, conv: qat, embedding_ops: qat });
registerPythonModules('torch.nn.intrinsic.qat.modules', { conv_fused: intrinsicQat, linear_relu: intrinsicQat, linear_fused: intrinsicQat });
registerPythonModules('torch.ao.nn.intrinsic.modules', { fused: intrinsic });
registerPythonClass('torch.ao.nn.quantized.modules.activation.Hardswish', quantized.Hardswish);

registerPythonHook(`${AQ}.quantize._observer_forward_hook`, observerForwardHook);
registerPythonHook(`${AQ}.quantize._observer_forward_pre_hook`, observerForwardPreHook);

const QCONFIG = `${AQ}.qconfig.QConfig`;
const PARTIAL_WRAPPER = `${AQ}.observer._PartialWrapper`;

// ---- loading --------------------------------------------------------------------------------

type Ctor = ModuleCtor | Factory;

function asCtor(v: unknown, where: string): Ctor {
  if (typeof v === 'function') return v as Ctor;
  throw new TorchError(`cannot load ${where}: expected an observer class or factory`);
}

/** A keywords dict in JS form: camelCase keys. */
function jsKeywords(keywords: Map<unknown, unknown>, where: string): Kwargs {
  const out: Kwargs = {};
  for (const [k, v] of keywords) {
    if (typeof k !== 'string') throw new TorchError(`cannot load ${where}: a keyword is not a string`);
    out[jsAttributeName(k)] = v;
  }
  return out;
}

registerObjectClass(QCONFIG, {
  build(args, state, where) {
    if (args.length !== 2 || state !== undefined) throw new TorchError(`cannot load ${where}: a QConfig is (activation, weight)`);
    return new QConfig(asCtor(args[0], where), asCtor(args[1], where));
  },
});

registerObjectClass(PARTIAL_WRAPPER, {
  build(args, state, where) {
    const dict = state instanceof Map ? state : undefined;
    const p = dict?.get('p');
    if (args.length !== 0 || !(p instanceof ResolvedPartial) || p.args.length !== 0) {
      throw new TorchError(`cannot load ${where}: expected _PartialWrapper(functools.partial(cls, **keywords))`);
    }
    const keywords = jsKeywords(p.keywords, where);
    const func = asCtor(p.func, where);
    let factory: Factory = isFactory(func) ? func.withArgs(keywords) : withArgs(func as ModuleCtor, keywords);
    const callables = dict!.get('callable_args');
    if (callables instanceof Map && callables.size) {
      const fns: Record<string, () => unknown> = {};
      for (const [k, fn] of jsKeywordsEntries(callables, where)) {
        if (typeof fn !== 'function') throw new TorchError(`cannot load ${where}: its callable_args['${k}'] is not a function`);
        fns[k] = fn as () => unknown;
      }
      factory = factory.withCallableArgs(fns);
    }
    return factory;
  },
});

function jsKeywordsEntries(m: Map<unknown, unknown>, where: string): [string, unknown][] {
  return Object.entries(jsKeywords(m, where));
}

// ---- saving ---------------------------------------------------------------------------------

// prepare's device closure: a JS function named after Python's local one (qconfig.ts)
const DEVICE_CLOSURE = 'add_module_to_qconfig_obs_ctr.<locals>.get_factory_kwargs_based_on_module_device';

function classRef(cls: Function, where: string): GlobalRef {
  const path = registeredPath(cls);
  if (!path) throw new TorchError(`cannot save ${where}: the class ${cls.name} has no Python name`);
  return new GlobalRef(path);
}

/** What a qconfig field or factory keyword is written as: a class by name, a factory as Python's wrapper. */
function ctorValue(v: unknown, where: string): unknown {
  if (isFactory(v)) return v.bare ? classRef(v.func as Function, where) : wrapperOf(v);
  if (typeof v === 'function') return classRef(v, where);
  return v;
}

const written = new WeakMap<object, PyValue>();

/** One PyValue per JS object, so the pickler memoizes it (a QConfig shared by modules stays shared). */
function once<T extends object>(v: T, make: (v: T) => PyValue): PyValue {
  let out = written.get(v);
  if (!out) {
    out = make(v);
    written.set(v, out);
  }
  return out;
}

/** QConfig(activation, weight): the namedtuple's NEWOBJ with both fields. */
class QConfigValue extends PyValue {
  constructor(readonly qconfig: QConfig) {
    super();
  }
  write(p: Pickler): void {
    new GlobalRef(QCONFIG).write(p);
    p.mark();
    p.write(ctorValue(this.qconfig.activation, 'qconfig.activation'));
    p.write(ctorValue(this.qconfig.weight, 'qconfig.weight'));
    p.tuple();
    p.byte(0x81); // NEWOBJ
    p.memoize(this);
  }
}

/** _PartialWrapper: NEWOBJ, then BUILD with { p: functools.partial(func, **keywords), callable_args }. */
class PartialWrapperValue extends PyValue {
  constructor(readonly factory: Factory) {
    super();
  }
  write(p: Pickler): void {
    const f = this.factory;
    new GlobalRef(PARTIAL_WRAPPER).write(p);
    p.writeTuple([]);
    p.byte(0x81); // NEWOBJ
    p.memoize(this);
    const func = ctorValue(f.func, 'an observer factory');
    const keywords = new Map(Object.entries(f.keywords).map(([k, v]) => [pythonAttributeName(k), ctorValue(v, `keyword ${k}`)]));
    const callables = new Map<string, unknown>();
    for (const [k, fn] of Object.entries(f.callableArgs)) {
      if (fn.name === DEVICE_CLOSURE) continue;
      const path = registeredFunctionPath(fn);
      if (!path) throw new TorchError(`cannot save an observer factory: its callable argument ${k} (${fn.name || 'anonymous'}) has no Python name`);
      callables.set(pythonAttributeName(k), new GlobalRef(path));
    }
    p.write(new Map<string, unknown>([['p', new PartialOf(func, keywords)], ['callable_args', callables]]));
    p.byte(0x62); // BUILD
  }
}

/** functools.partial(func, **keywords): REDUCE of (func,), then BUILD (func, (), keywords, None). */
class PartialOf extends PyValue {
  constructor(
    readonly func: unknown,
    readonly keywords: Map<string, unknown>,
  ) {
    super();
  }
  write(p: Pickler): void {
    new GlobalRef('functools.partial').write(p);
    p.mark();
    p.write(this.func);
    p.tuple();
    p.reduce();
    p.mark();
    p.write(this.func);
    p.writeTuple([]);
    p.write(this.keywords);
    p.write(null);
    p.tuple();
    p.byte(0x62); // BUILD
  }
}

function wrapperOf(f: Factory): PyValue {
  return once(f, (x) => new PartialWrapperValue(x));
}

registerValueSaver((v) => {
  if (v instanceof QConfig) return once(v, (q) => new QConfigValue(q));
  if (isFactory(v)) return ctorValue(v, 'an observer factory');
  return undefined;
});
