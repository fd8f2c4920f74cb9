// torch.ao.quantization.quantize (eager mode): propagateQconfig_ hands each module its qconfig,
// prepare attaches observers (activation_post_process, run by a forward hook), convert swaps
// observed float modules for quantized ones through a mapping and each class's fromFloat;
// quantize / prepareQat / quantizeQat chain them as Python's do. Custom modules (nn.LSTM and
// nn.MultiheadAttention by default) are swapped whole: for their observed class in prepare, for their
// quantized class in convert; isReference converts to the reference modules (float weights kept).
import { AssertionError, warn } from '../../errors';
import { Module, ForwardHook, ForwardPreHook } from '../../nn/module';
import { Sequential } from '../../nn/containers/sequential';
import { Dropout } from '../../nn/layers/dropout';
import { deepcopy } from '../../nn/clone';
import { FloatFunctional, QFunctional } from '../../nn/quantized';
import { ArgsOf, Rest, signature } from '../../keywords';
import { Tensor } from '../../tensor/tensor';
import { QConfig, activationIsMemoryless, addModuleToQconfigObsCtr, assertValidQconfig } from './qconfig';
import { DeQuantStub, QuantWrapper } from './stubs';
import { ObserverBase } from './observers/base';
import { FakeQuantizeBase } from './fake-quantize';
import { Factory } from './partial';
import {
  ModuleClass, QuantMapping, getDefaultQatModuleMappings, getDefaultQconfigPropagationList, getDefaultStaticQuantModuleMappings,
  getDefaultStaticQuantReferenceModuleMappings, getSpecialActPostProcess, isFusedModule,
} from './mappings';
import { getQparamDict } from './qparam-dict';
import { ConvertCustomConfigDict, ObservedClass, PrepareCustomConfigDict, QuantizedCustomClass, getDefaultCustomConfigDict, noObserverSet } from './custom-config';

/** Which qconfig each module gets: by class or by qualified name ('features.0'); null switches it off. */
export type QconfigDict = Map<ModuleClass | string, QConfig | null> | Record<string, QConfig | null>;

interface WithQconfig {
  qconfig?: QConfig | null;
  activation_post_process?: Module;
}
const q = (m: Module): WithQconfig => m as unknown as WithQconfig;

/** is_activation_post_process(module): an observer or a fake-quant. */
export function isActivationPostProcess(module: unknown): boolean {
  return module instanceof ObserverBase || module instanceof FakeQuantizeBase;
}

// Module keeps its forward hooks in its private state; prepare/convert must find theirs (as Python
// reads module._forward_hooks).
function forwardHooksOf(m: Module): Map<number, ForwardHook> {
  return (m as unknown as { _s: { hooks: Map<number, ForwardHook> } })._s.hooks;
}

function lookup(dict: QconfigDict, key: ModuleClass | string): [boolean, QConfig | null | undefined] {
  if (dict instanceof Map) return [dict.has(key), dict.get(key)];
  if (typeof key !== 'string') return [false, undefined];
  return [Object.prototype.hasOwnProperty.call(dict, key), dict[key]];
}

function propagate(module: Module, dict: QconfigDict, parent: QConfig | null | undefined, prefix: string, custom: PrepareCustomConfigDict | null = null): void {
  let qconfig = parent;
  const [byType, typed] = lookup(dict, module.constructor as ModuleClass);
  if (byType) qconfig = typed;
  const [byName, named] = lookup(dict, prefix);
  if (byName) qconfig = named;
  if ('qconfig' in module) qconfig = q(module).qconfig;
  assertValidQconfig(qconfig, module);
  const withDevice = addModuleToQconfigObsCtr(qconfig ?? null, module);
  q(module).qconfig = withDevice ?? null;
  for (const [name, child] of module.namedChildren()) {
    // non-traceable children keep no qconfig (as Python, the config is looked at below the root only)
    const skip = custom && (custom.non_traceable_module_name?.includes(name) || custom.non_traceable_module_class?.includes(child.constructor as ModuleClass));
    if (!skip) propagate(child, dict, withDevice, prefix ? `${prefix}.${name}` : name);
  }
}

/**
 * propagateQconfig_(module, qconfigDict = null, prepareCustomConfigDict = null): sets `qconfig` on
 * every module, from the dict (by class, then by qualified name), else a module's own qconfig, else
 * its parent's. A plain-object dict maps qualified names ({ 'features.0': qconfig }); a Map takes
 * classes too. The root's children named in non_traceable_module_name, or of a class in
 * non_traceable_module_class, are skipped with everything below them.
 */
export function propagateQconfig_(module: Module, qconfigDict: QconfigDict | null = null, prepareCustomConfigDict: PrepareCustomConfigDict | null = null): void {
  propagate(module, qconfigDict ?? new Map(), null, '', prepareCustomConfigDict ?? {});
}

/** Runs the module's output through its activation_post_process (Python's _observer_forward_hook). */
export const observerForwardHook: ForwardHook = (self, _input, output) => (q(self).activation_post_process as Module)(output as Tensor);
/** Runs the module's first input through its activation_post_process (memoryless observers). */
export const observerForwardPreHook: ForwardPreHook = (self, input) => (q(self).activation_post_process as Module)(input[0] as Tensor);

/** register_activation_post_process_hook(module, preHook = false): the observer hook, first of the module's hooks. */
export function registerActivationPostProcessHook(module: Module, preHook = false): void {
  if (!('activation_post_process' in module)) throw new AssertionError('Expect activation_post_process attribute already attached to the module');
  if (preHook) module.registerForwardPreHook(observerForwardPreHook, { prepend: true });
  else module.registerForwardHook(observerForwardHook, { prepend: true });
}

function uniqueDevices(module: Module): Set<string> {
  const devices = new Set<string>();
  for (const t of [...module.parameters(), ...module.buffers()]) devices.add(String(t.device));
  return devices;
}

function addObserver_(
  module: Module,
  propagationList: Set<ModuleClass>,
  nonLeafModuleList: Set<ModuleClass> | null,
  device: string | null,
  customMapping: Map<ModuleClass, ObservedClass>,
): void {
  const needsObservation = (m: Module) => !!q(m).qconfig;
  const activationPostProcess = (qconfig: QConfig, special: Factory | null = null): Module => {
    const act = special ? special() : qconfig.activation();
    if (device !== null) act.to(device);
    return act;
  };
  const insert = (m: Module, special: Factory | null = null) => {
    if (!needsObservation(m) || m instanceof DeQuantStub) return;
    const qconfig = q(m).qconfig!;
    m.addModule('activation_post_process', activationPostProcess(qconfig, special));
    registerActivationPostProcessHook(m, activationIsMemoryless(qconfig));
  };
  for (const [name, child] of [...module.namedChildren()]) {
    const type = child.constructor as ModuleClass;
    if (type === Dropout) continue;
    if (type === FloatFunctional || type === QFunctional) {
      if (needsObservation(child)) q(child).activation_post_process = activationPostProcess(q(child).qconfig!);
    } else if (isFusedModule(child)) {
      if (needsObservation(child)) insert(child);
    } else if (getSpecialActPostProcess(child)) {
      insert(child, getSpecialActPostProcess(child));
    } else if (nonLeafModuleList?.has(type)) {
      if (needsObservation(child)) insert(child);
    } else if (needsObservation(child) && customMapping.has(type)) {
      // a custom module: swapped whole for its observed class, which observes its own insides
      const observedClass = customMapping.get(type)!;
      const observedChild = observedClass.fromFloat(child);
      module.addModule(name, observedChild);
      if (!noObserverSet().has(observedClass)) insert(observedChild);
    } else {
      addObserver_(child, propagationList, nonLeafModuleList, device, customMapping);
    }
  }
  const leaf = [...module.children()].length === 0;
  if (leaf && !(module instanceof Sequential) && propagationList.has(module.constructor as ModuleClass)) insert(module);
}

export interface PrepareArgs {
  model: Module;
  inplace?: boolean;
  allowList?: Set<ModuleClass> | null;
  observerNonLeafModuleList?: Set<ModuleClass> | null;
  /** { float_to_observed_custom_module_class: Map(floatClass -> observedClass) }; by default getDefaultCustomConfigDict() */
  prepareCustomConfigDict?: PrepareCustomConfigDict | null;
}
const PREPARE = signature<PrepareArgs>()(['model'], ['inplace', 'allowList', 'observerNonLeafModuleList', 'prepareCustomConfigDict']);

/**
 * prepare(model, inplace = false, allowList = null, observerNonLeafModuleList = null, prepareCustomConfigDict = null):
 * a copy of model (or model itself) with an observer after every module that has a qconfig, for
 * calibration; custom modules (nn.LSTM, nn.MultiheadAttention by default) become their observed class.
 */
export function prepare<M extends Module>(
  model: M,
  ...rest: Rest<Omit<PrepareArgs, 'model'>, ['inplace', 'allowList', 'observerNonLeafModuleList', 'prepareCustomConfigDict']>
): M;
export function prepare(options: PrepareArgs): Module;
export function prepare(...args: unknown[]): Module {
  const a = PREPARE.bind('prepare', args);
  const customConfig = a.prepareCustomConfigDict ?? getDefaultCustomConfigDict();
  const customMapping = customConfig.float_to_observed_custom_module_class ?? new Map();
  const model = a.inplace ? a.model : deepcopy(a.model);
  const propagationList = a.allowList ?? getDefaultQconfigPropagationList();
  propagateQconfig_(model, null);
  if (![...model.modules()].some((m) => !!q(m).qconfig)) {
    warn('None of the submodule got qconfig applied. Make sure you passed correct configuration through `qconfig_dict` or by assigning the `.qconfig` attribute directly on submodules');
  }
  const devices = uniqueDevices(model);
  if (devices.size > 1) throw new AssertionError(`add_observer_ only works with cpu or single-device CUDA modules, but got devices ${[...devices].join(', ')}`);
  addObserver_(model, propagationList, a.observerNonLeafModuleList ?? null, devices.size ? [...devices][0] : null, customMapping);
  return model;
}

function removeActivationPostProcess(module: Module): void {
  if ('activation_post_process' in module && isActivationPostProcess(q(module).activation_post_process)) {
    delete q(module).activation_post_process;
  }
  for (const [map, hook] of [[module._forwardPreHooks, observerForwardPreHook], [forwardHooksOf(module), observerForwardHook]] as [Map<number, unknown>, unknown][]) {
    for (const [id, fn] of [...map]) if (fn === hook) map.delete(id);
  }
}

function removeQconfig(module: Module): void {
  for (const child of module.children()) removeQconfig(child);
  if ('qconfig' in module) delete q(module).qconfig;
  removeActivationPostProcess(module);
}

/**
 * swap_module(mod, mapping, customModuleClassMapping = empty): mod's quantized replacement (with its
 * non-observer hooks), or mod itself. A custom class converts by fromObserved; a reference class
 * gets the qparams of a fresh weight observer run on mod's weight.
 */
export function swapModule(mod: Module, mapping: QuantMapping, customModuleClassMapping: Map<ModuleClass, QuantizedCustomClass> = new Map()): Module {
  const qconfig = q(mod).qconfig;
  if (!qconfig) return mod;
  const type = mod.constructor as ModuleClass;
  let swapped: Module;
  const custom = customModuleClassMapping.get(type);
  const qmod = mapping.get(type);
  if (custom) {
    swapped = custom.fromObserved(mod);
  } else if (qmod) {
    if (qmod._IS_REFERENCE) {
      const weightPostProcess = qconfig.weight();
      weightPostProcess((mod as unknown as { weight: Tensor }).weight);
      swapped = (qmod.fromFloat as (m: Module, q: unknown) => Module)(mod, getQparamDict(weightPostProcess));
    } else {
      swapped = qmod.fromFloat(mod);
    }
  } else {
    return mod;
  }
  for (const hook of mod._forwardPreHooks.values()) swapped.registerForwardPreHook(hook);
  for (const hook of forwardHooksOf(mod).values()) if (hook !== observerForwardHook) swapped.registerForwardHook(hook);
  const devices = uniqueDevices(mod);
  if (devices.size > 1) throw new AssertionError(`swap_module only works with cpu or single-device CUDA modules, but got devices ${[...devices].join(', ')}`);
  if (devices.size === 1) swapped.to([...devices][0]);
  return swapped;
}

function convertInPlace(module: Module, mapping: QuantMapping, customMapping: Map<ModuleClass, QuantizedCustomClass>): void {
  const reassign: [string, Module][] = [];
  for (const [name, mod] of module.namedChildren()) {
    // fused and observed custom modules are swapped whole
    if (!isFusedModule(mod) && !customMapping.has(mod.constructor as ModuleClass)) convertInPlace(mod, mapping, customMapping);
    reassign.push([name, swapModule(mod, mapping, customMapping)]);
  }
  for (const [name, mod] of reassign) module.addModule(name, mod);
}

export interface ConvertArgs {
  module: Module;
  mapping?: QuantMapping | null;
  inplace?: boolean;
  removeQconfig?: boolean;
  isReference?: boolean;
  /** { observed_to_quantized_custom_module_class: Map(observedClass -> quantizedClass) }; by default getDefaultCustomConfigDict() */
  convertCustomConfigDict?: ConvertCustomConfigDict | null;
}
const CONVERT = signature<ConvertArgs>()(['module'], ['mapping', 'inplace', 'removeQconfig', 'isReference', 'convertCustomConfigDict']);

/**
 * convert(module, mapping = null, inplace = false, removeQconfig = true, isReference = false, convertCustomConfigDict = null):
 * a copy of module (or module itself) with every observed module whose class is in the mapping (by
 * default the static quantization one, or the reference one) replaced by its quantized class's
 * fromFloat, and observed custom modules by their quantized class's fromObserved.
 */
export function convert<M extends Module>(
  module: M,
  ...rest: Rest<Omit<ConvertArgs, 'module'>, ['mapping', 'inplace', 'removeQconfig', 'isReference', 'convertCustomConfigDict']>
): M;
export function convert(options: ConvertArgs): Module;
export function convert(...args: unknown[]): Module {
  const a = CONVERT.bind('convert', args);
  const module = a.inplace ? a.module : deepcopy(a.module);
  const mapping = a.mapping ?? (a.isReference ? getDefaultStaticQuantReferenceModuleMappings() : getDefaultStaticQuantModuleMappings());
  const customConfig = a.convertCustomConfigDict ?? getDefaultCustomConfigDict();
  convertInPlace(module, mapping, customConfig.observed_to_quantized_custom_module_class ?? new Map());
  if (a.removeQconfig ?? true) removeQconfig(module);
  return module;
}

type RunFn<M> = (model: M, ...args: unknown[]) => unknown;

export interface QuantizeArgs<M extends Module = Module> {
  model: M;
  runFn: RunFn<M>;
  runArgs: unknown[];
  mapping?: QuantMapping | null;
  inplace?: boolean;
}
const QUANTIZE = signature<QuantizeArgs>()(['model', 'runFn', 'runArgs'], ['mapping', 'inplace']);

/** quantize(model, runFn, runArgs, mapping = null, inplace = false): prepare, calibrate with runFn(model, ...runArgs), convert. */
export function quantize<M extends Module>(model: M, runFn: RunFn<M>, runArgs: unknown[], options?: { mapping?: QuantMapping | null; inplace?: boolean }): M;
export function quantize(...args: ArgsOf<typeof QUANTIZE>): Module;
export function quantize(...args: unknown[]): Module {
  const a = QUANTIZE.bind('quantize', args);
  const model = a.inplace ? a.model : deepcopy(a.model);
  model.eval();
  prepare(model, { inplace: true });
  a.runFn(model, ...a.runArgs);
  convert(model, a.mapping ?? getDefaultStaticQuantModuleMappings(), { inplace: true });
  return model;
}

const PREPARE_QAT = signature<{ model: Module; mapping?: QuantMapping | null; inplace?: boolean }>()(['model'], ['mapping', 'inplace']);

/**
 * prepareQat(model, mapping = null, inplace = false): swaps the layers for their QAT versions (fake
 * quantized weights) and attaches fake-quant observers; the model must be in training mode.
 */
export function prepareQat<M extends Module>(model: M, mapping?: QuantMapping | null, options?: { inplace?: boolean }): M;
export function prepareQat(...args: ArgsOf<typeof PREPARE_QAT>): Module;
export function prepareQat(...args: unknown[]): Module {
  const a = PREPARE_QAT.bind('prepare_qat', args);
  if (!a.model.training) throw new AssertionError('prepare_qat only works on models in training mode');
  const mapping = a.mapping ?? getDefaultQatModuleMappings();
  const model = a.inplace ? a.model : deepcopy(a.model);
  propagateQconfig_(model, null);
  convert(model, mapping, { inplace: true, removeQconfig: false });
  prepare(model, { inplace: true, observerNonLeafModuleList: new Set([...mapping.values()] as unknown as ModuleClass[]) });
  return model;
}

const QUANTIZE_QAT = signature<Omit<QuantizeArgs, 'mapping'>>()(['model', 'runFn', 'runArgs'], ['inplace']);

/** quantizeQat(model, runFn, runArgs, inplace = false): prepareQat, train with runFn(model, ...runArgs), convert. */
export function quantizeQat<M extends Module>(model: M, runFn: RunFn<M>, runArgs: unknown[], options?: { inplace?: boolean }): M;
export function quantizeQat(...args: ArgsOf<typeof QUANTIZE_QAT>): Module;
export function quantizeQat(...args: unknown[]): Module {
  const a = QUANTIZE_QAT.bind('quantize_qat', args);
  const model = a.inplace ? a.model : deepcopy(a.model);
  model.train();
  prepareQat(model, null, { inplace: true });
  a.runFn(model, ...a.runArgs);
  convert(model, null, { inplace: true });
  return model;
}

/** get_observer_dict(mod, targetDict, prefix = ''): every activation_post_process by qualified name. */
export function getObserverDict(mod: Module, targetDict: Record<string, Module>, prefix = ''): void {
  const head = prefix === '' ? '' : `${prefix}.`;
  if ('activation_post_process' in mod) targetDict[`${head}activation_post_process`] = q(mod).activation_post_process as Module;
  for (const [name, child] of mod.namedChildren()) getObserverDict(child, targetDict, prefix ? `${head}${name}` : name);
}

/** add_quant_dequant(module): every leaf with a qconfig wrapped in a QuantWrapper (in place; returns the root). */
export function addQuantDequant(module: Module): Module {
  if ([...module.children()].length === 0 && q(module).qconfig) return new QuantWrapper(module);
  for (const [name, child] of [...module.namedChildren()]) module.addModule(name, addQuantDequant(child));
  return module;
}
