// What the QAT modules need of a QConfig (torch.ao.quantization.QConfig): two factories, each
// building a fresh observer or fake-quantize module per call. Duck typed, so nn.qat does not depend
// on lib/ao/quantization (which builds on nn); any { activation(), weight() } pair works.
import { AssertionError, TorchError } from '../../errors';
import { Module } from '../module';
import type { FactoryOptions } from '../layers/linear';

/** The keywords a QAT module passes to its weight factory: where the fake-quant keeps its state. */
export interface QConfigFactoryKwargs {
  factoryKwargs?: FactoryOptions;
}

/** A QConfig as the QAT modules read it: qconfig.weight() is a module, fakeQuant(w) the quantized w. */
export interface QConfigLike {
  activation(kwargs?: QConfigFactoryKwargs): Module;
  weight(kwargs?: QConfigFactoryKwargs): Module;
}

/** Python's `assert qconfig, message` in the QAT constructors. */
export function requireQconfig(qconfig: QConfigLike | null | undefined, message = 'qconfig must be provided for QAT module'): QConfigLike {
  if (!qconfig) throw new AssertionError(message);
  return qconfig;
}

/**
 * qconfig.weight(factory_kwargs=...) as nn.qat's Linear/Conv/Embedding call it: only the factory
 * settings given are passed (Python passes None for the others, which means the same).
 */
export function weightFakeQuant(qconfig: QConfigLike, factory: FactoryOptions): Module {
  const factoryKwargs: FactoryOptions = {};
  if (factory.device !== undefined && factory.device !== null) factoryKwargs.device = factory.device;
  if (factory.dtype !== undefined && factory.dtype !== null) factoryKwargs.dtype = factory.dtype;
  return qconfig.weight({ factoryKwargs });
}

/** The qconfig a float module was given (prepare's propagate_qconfig_ sets it), or undefined. */
export function qconfigOf(mod: Module): QConfigLike | null | undefined {
  return (mod as unknown as { qconfig?: QConfigLike | null }).qconfig;
}

/** from_float's checks that the float module carries a qconfig (Python's assertion texts); returns it. */
export function floatQconfig(mod: Module, invalid = 'Input float module must have a valid qconfig'): QConfigLike {
  if (!('qconfig' in mod)) throw new AssertionError('Input float module must have qconfig defined');
  const qconfig = qconfigOf(mod);
  if (!qconfig) throw new AssertionError(invalid);
  return qconfig;
}

/** Python's `mod.qconfig` on a module that may lack it: AttributeError's text. */
export function readQconfig(mod: Module): QConfigLike {
  if (!('qconfig' in mod)) throw new TorchError(`'${mod.constructor.name}' object has no attribute 'qconfig'`);
  return qconfigOf(mod) as QConfigLike;
}
